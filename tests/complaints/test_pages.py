"""The complaint pages: the public form and status page, the office's list, intake and handling,
the work that waits, the group's page and the monthly report."""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints import services
from complaints.models import Category, Complaint
from metro_slum import roles
from tests.cast import pdf
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Bantuan modal kelompok kami dipotong Rp 500.000 oleh orang yang mengaku petugas."


def public_post(client, **fields):
    data = {"category": Category.AMOUNT_CUT, "description": TEXT, "name": "Sumiati",
            "phone": "0812 3456 7890", **fields}  # fmt: skip
    return client.post(reverse("complaints:public"), data)


def test_a_resident_complains_and_reads_the_number_and_code_once(client, hadimulyo_barat):
    response = public_post(client, kelurahan=hadimulyo_barat.pk)
    assert response.status_code == 302 and response.url == reverse("complaints:receipt")
    complaint = Complaint.objects.get()
    assert complaint.channel == "web" and complaint.created_by is None
    assert complaint.kelurahan == hadimulyo_barat and complaint.phone == "+6281234567890"
    receipt = client.get(response.url).content.decode()
    assert complaint.number in receipt
    code = receipt.split('id="check-code">')[1].split("<")[0]
    assert services.complaint_find(complaint.number, code) == complaint
    # Shown once: the receipt's address holds neither, and a second visit leads to the lookup.
    assert client.get(reverse("complaints:receipt")).url == reverse("complaints:status")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"description": "terlalu pendek"}, "description", "paling sedikit 20"),
        ({"name": ""}, "name", "anonim"),
        ({"category": "bribe"}, "category", "pilihan yang valid"),
        ({"phone": "12"}, "phone", "0812 3456 7890"),
        ({"description": "x" * 2001}, "description", "2000"),
        ({"website": "http://spam.example"}, None, "tidak dapat dikirim"),
    ],
)
def test_the_public_form_refuses_bad_input_and_stores_nothing(client, fields, field, message):
    response = public_post(client, **fields)
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field) if field else form.non_field_errors()
    assert any(message in error for error in errors), form.errors
    assert Complaint.objects.count() == 0


def test_an_attachment_that_is_not_what_it_says_is_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")
    response = client.post(
        reverse("complaints:public"),
        {"category": Category.AMOUNT_CUT, "description": TEXT, "anonymous": "on",
         "files": [pdf(), fake]},
    )  # fmt: skip
    assert response.status_code == 200 and "foto.jpg" in str(response.context["form"].errors)
    assert Complaint.objects.count() == 0


def test_no_html_is_echoed(client, cast, hadimulyo_barat):
    public_post(client, description="<script>alert('x')</script> uang dipotong separuhnya")
    complaint = Complaint.objects.get()
    client.force_login(cast.supervisor)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_a_flood_from_one_address_is_refused_after_the_limit(client, settings):
    settings.COMPLAINT_RATE = "5/h"
    statuses = [public_post(client, anonymous="on", name="").status_code for _ in range(60)]
    assert statuses[:5] == [302] * 5 and set(statuses[5:]) == {429}
    assert Complaint.objects.count() == 5
    refused = public_post(client, anonymous="on", name="")
    assert "Terlalu banyak pengaduan" in refused.content.decode()
    # Another address is not held back by it.
    other = client.post(
        reverse("complaints:public"),
        {"category": "other", "description": TEXT, "anonymous": "on"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert other.status_code == 302 and Complaint.objects.count() == 6


def test_the_status_page_answers_only_the_number_with_its_code(client, cast, hadimulyo_barat):
    complaint, code = services.complaint_create(
        by=cast.staff, channel="phone", category=Category.NOT_RECEIVED, description=TEXT,
        name="Sumiati", phone="0812 3456 7890", kelurahan=hadimulyo_barat,
    )  # fmt: skip
    url = reverse("complaints:status")
    wrong = client.post(url, {"number": complaint.number, "code": "ZZZZZZ"}).content.decode()
    unknown = client.post(url, {"number": "ADU-2026-99999", "code": "ZZZZZZ"}).content.decode()
    assert "tidak cocok" in wrong and "tidak cocok" in unknown
    # The same answer (the CSRF token aside) whether the number exists or not.
    token = re.compile(r'value="[A-Za-z0-9]{64}"')
    assert token.sub("", wrong.replace(complaint.number, "ADU-2026-99999")) == token.sub(
        "", unknown
    )
    page = client.post(url, {"number": complaint.number, "code": code}).content.decode()
    assert 'id="status-now">Diterima' in page
    assert "Sumiati" not in page and "3456" not in page  # nothing personal


def test_the_complainant_appeals_a_rejection_once_from_the_status_page(
    client, cast, hadimulyo_barat
):
    complaint, code = services.complaint_create(
        by=cast.staff, channel="phone", category=Category.WRONG_DATA, description=TEXT,
        anonymous=True, kelurahan=hadimulyo_barat,
    )  # fmt: skip
    services.complaint_step(
        complaint=complaint, step="reject", by=cast.supervisor, note="Data sudah sesuai KK."
    )
    url = reverse("complaints:status")
    page = client.post(url, {"number": complaint.number, "code": code}).content.decode()
    assert "Data sudah sesuai KK." in page and 'id="appeal"' in page
    short = client.post(url, {"number": complaint.number, "code": code, "reason": "tidak"})
    assert short.context["appeal_form"].errors["reason"]
    appealed = client.post(
        url, {"number": complaint.number, "code": code, "reason": "Saya punya KK yang baru."}
    )
    assert "Banding Anda sudah dicatat" in appealed.content.decode()
    assert 'id="appeal"' not in appealed.content.decode()
    assert Complaint.objects.get().status == "appealed"


def test_staff_record_a_walk_in_complaint_about_a_group(client, cast, hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat)
    client.force_login(cast.worker)
    url = reverse("complaints:create") + f"?kelompok={group.pk}"
    form = client.get(url)
    assert form.context["form"].initial["kelurahan"] == hadimulyo_barat
    response = client.post(
        url,
        {"channel": "field", "received_on": timezone.localdate().strftime("%d/%m/%Y"),
         "category": Category.ILLEGAL_FEE, "description": TEXT, "name": "Pak Darmo",
         "kelurahan": hadimulyo_barat.pk},
    )  # fmt: skip
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.group == group and complaint.created_by == cast.worker
    assert complaint.number in client.get(response.url).content.decode()
    page = client.get(reverse("group", args=[group.pk])).content.decode()
    assert complaint.number in page


def test_a_supervisor_assesses_and_resolves_on_the_complaint_page(client, cast, hadimulyo_barat):
    complaint, _code = services.complaint_create(
        by=cast.staff, channel="walk_in", category=Category.AMOUNT_CUT, description=TEXT,
        name="Sumiati", kelurahan=hadimulyo_barat,
    )  # fmt: skip
    url = reverse("complaints:detail", args=[complaint.pk])
    client.force_login(cast.supervisor)
    today = timezone.localdate().strftime("%d/%m/%Y")
    refused = client.post(url, {"step": "assess", "on": today, "note": ""})
    assert "jawaban pertama" in str(refused.context["step_form"].errors)
    client.post(url, {"action": "assign", "owner": cast.supervisor.pk})
    client.post(url, {"step": "assess", "on": today, "note": "Kami periksa bukti transfer."})
    twice = client.post(url, {"step": "assess", "on": today, "note": "Lagi."})
    assert twice.status_code == 200  # a double click: told, not a second step
    complaint.refresh_from_db()
    assert complaint.status == "assessed" and complaint.owner == cast.supervisor
    assert complaint.events.filter(to_status="assessed").count() == 1
    client.force_login(cast.worker)  # a worker records, never decides
    client.post(url, {"step": "resolve", "on": today, "note": "Selesai."})
    assert Complaint.objects.get().status == "assessed"


def test_the_work_that_waits_counts_complaints_by_role(client, cast, hadimulyo_barat):
    old = timezone.localdate() - datetime.timedelta(days=60)
    services.complaint_create(
        by=cast.staff, channel="phone", category=Category.SERVICE, description=TEXT,
        name="Ibu Warsini", kelurahan=hadimulyo_barat, received_on=old,
    )  # fmt: skip
    services.complaint_create(
        by=cast.staff, channel="phone", category=Category.NOT_RECEIVED, description=TEXT,
        name="Sri", kelurahan=hadimulyo_barat,
    )  # fmt: skip
    head = UserFactory(username="kepala", is_staff=True, roles=[roles.HEAD_OF_OFFICE])
    client.force_login(cast.supervisor)
    page = client.get(reverse("home")).content.decode()
    assert 'data-count="pengaduan-baru">2<' in page
    assert 'data-count="pengaduan-terlambat">1<' in page
    listed = client.get(reverse("complaints:list") + "?perlu=pengaduan-terlambat")
    assert [c.name for c in listed.context["page"]] == ["Ibu Warsini"]
    # The head of office reads the same late count on the one page, and the escalated one.
    client.force_login(head)
    summary = client.get(reverse("home"), follow=True).content.decode()
    assert 'data-figure="late">1<' in summary and 'data-figure="escalated">1<' in summary
    client.force_login(cast.worker)
    page = client.get(reverse("home")).content.decode()
    assert 'data-count="pengaduan-terbuka">2<' in page and "pengaduan-terlambat" not in page
    assert client.get(reverse("complaints:list") + "?perlu=pengaduan-baru").status_code == 403


def test_the_list_takes_the_same_queries_for_few_and_many(client, cast, hadimulyo_barat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        for _ in range(count):
            services.complaint_create(
                by=cast.staff, channel="phone", category=Category.OTHER, description=TEXT,
                anonymous=True, kelurahan=hadimulyo_barat,
            )  # fmt: skip

    client.force_login(cast.supervisor)
    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("complaints:list"))
    add(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("complaints:list"))
    assert len(many) == len(few) and len(page.context["page"]) == 22


def test_the_monthly_report_counts_on_time_and_downloads_as_xlsx(client, cast, hadimulyo_barat):
    first = timezone.localdate().replace(day=1)
    on_time, _code = services.complaint_create(
        by=cast.staff, channel="phone", category=Category.AMOUNT_CUT, description=TEXT,
        name="A", kelurahan=hadimulyo_barat, received_on=first,
    )  # fmt: skip
    services.complaint_step(
        complaint=on_time, step="reject", by=cast.supervisor, on=first, note="Bukan potongan."
    )
    services.complaint_create(
        by=cast.staff, channel="phone", category=Category.AMOUNT_CUT, description=TEXT,
        name="B", kelurahan=hadimulyo_barat,
    )  # fmt: skip
    client.force_login(cast.supervisor)
    url = reverse("programme:report", args=["pengaduan"])
    report = client.get(url).context["report"]
    # Received 2, closed 1, closed on time 1 (100 %), none overdue yet.
    assert [row[1:] for row in report.rows] == [("Hadimulyo Barat", 2, 1, 1, 100, 0)]
    download = client.post(url, {"dari": first.strftime("%d/%m/%Y"),
                                 "sampai": timezone.localdate().strftime("%d/%m/%Y")})  # fmt: skip
    content = b"".join(download.streaming_content) if download.streaming else download.content
    sheet = load_workbook(BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[1] == "Hadimulyo Barat" and row[2] == 2 and row[4] == 1 for row in values)


def test_the_receipt_keeps_the_number_whole_and_carries_it_to_the_lookup(client, hadimulyo_barat):
    public_post(client, kelurahan=hadimulyo_barat.pk)
    complaint = Complaint.objects.get()
    receipt = client.get(reverse("complaints:receipt")).text
    number = receipt.split('id="complaint-number">')[0].rsplit("<dd", 1)[1]
    assert "text-nowrap" in number
    code = receipt.split('id="check-code">')[1].split("<")[0]
    # Copy and share hold the number, the code and where to follow it; the link only the number.
    actions = receipt.split('id="receipt-actions"')[1].split(">")[0]
    assert complaint.number in actions and code in actions and "/pengaduan/cek/" in actions
    link = f"{reverse('complaints:status')}?nomor={complaint.number}"
    assert link in receipt and code not in link
    lookup = client.get(link).text
    assert f'value="{complaint.number}"' in lookup
    assert "placeholder" not in lookup.split('name="number"')[1].split(">")[0]


@pytest.mark.parametrize(
    "written", ["{number}", "{serial}", "adu {year} {serial}", "{year}/{serial}"]
)
def test_the_number_is_understood_as_residents_write_it(client, cast, hadimulyo_barat, written):
    complaint, code = services.complaint_create(
        by=cast.staff, channel="phone", category=Category.NOT_RECEIVED, description=TEXT,
        name="Sumiati", phone="0812 3456 7890", kelurahan=hadimulyo_barat,
    )  # fmt: skip
    year, serial = complaint.number.split("-")[1:]
    typed = written.format(number=complaint.number, year=year, serial=int(serial))
    url = reverse("complaints:status")
    found = client.post(url, {"number": typed, "code": code.lower()}).text
    assert f'<h2 class="h5">{complaint.number}</h2>' in found
    wrong = client.post(url, {"number": typed, "code": "ZZZZZZ"}).text
    assert "Tidak ditemukan. Periksa ini lalu coba lagi" in wrong
    assert "Belum tersimpan" not in wrong  # a lookup saves nothing


def test_the_status_page_shows_the_deadlines_and_the_answers_written_for_the_resident(
    client, cast, hadimulyo_barat
):
    complaint, code = services.complaint_create(
        by=cast.staff, channel="phone", category=Category.NOT_RECEIVED, description=TEXT,
        name="Sumiati", phone="0812 3456 7890", kelurahan=hadimulyo_barat,
    )  # fmt: skip
    url = reverse("complaints:status")
    page = client.post(url, {"number": complaint.number, "code": code}).text
    assert 'id="first-answer-due"' in page and 'id="resolution-due"' in page
    answer = "Kami sudah menghubungi pendamping kelompok; hasilnya kami kabarkan minggu ini."
    services.complaint_step(complaint=complaint, step="assess", by=cast.supervisor, note=answer)
    page = client.post(url, {"number": complaint.number, "code": code}).text
    assert answer in page.split('id="public-answer"')[1]
    assert answer in page.split('id="status-steps"')[1]
    assert 'id="first-answer-due"' not in page  # answered
    # A later step without a note for the resident never empties the answer.
    complaint.refresh_from_db()
    services.complaint_step(complaint=complaint, step="start", by=cast.supervisor, note="")
    complaint.refresh_from_db()
    assert complaint.public_answer == answer
    page = client.post(url, {"number": complaint.number, "code": code}).text
    assert answer in page.split('id="public-answer"')[1]
