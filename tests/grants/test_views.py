import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants import services
from grants.models import Document, Grant
from tests.cast import (
    approved_grant,
    disburse,
    draft_grant,
    pdf,
    png,
    spend,
    submitted_grant,
)
from tests.factories import GroupFactory, UserFactory, _kelurahan

pytestmark = pytest.mark.django_db


def test_social_worker_prepares_a_grant_from_the_plan(worker_client, planned_group, cast):
    url = reverse("grants:grant", args=[planned_group.pk])
    page = worker_client.get(url)
    assert page.context["form"].initial["amount_requested"] == Decimal(2_550_000)

    response = worker_client.post(
        url,
        {
            "amount_requested": "2550000",
            "purpose": "Modal usaha jamu",
            "bank_name": "Bank Lampung",
            "bank_account_number": "0123-01-000456-50-1",
            "bank_account_holder": planned_group.name,
        },
        follow=True,
    )
    assert "Pengajuan bantuan disimpan." in response.content.decode()
    grant = Grant.objects.get()
    assert (grant.created_by, grant.status) == (cast.worker, Grant.Status.DRAFT)


def test_grant_page_lists_the_gates_still_to_pass(worker_client, planned_group, cast):
    draft_grant(cast, planned_group, documents=False)
    html = worker_client.get(reverse("grants:grant", args=[planned_group.pk])).content.decode()
    assert "Dokumen yang belum ada: Proposal" in html
    assert "Fotokopi KTP anggota – belum ada" in html


def test_submit_with_missing_documents_says_which(worker_client, planned_group, cast):
    grant = draft_grant(cast, planned_group, documents=False)
    response = worker_client.post(reverse("grants:submit", args=[planned_group.pk]), follow=True)
    assert "Dokumen yang belum ada: Proposal" in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.DRAFT


def upload_rows(*rows):
    """The document upload form as the page sends it: one (kind, file) per row."""
    data = {
        "documents-TOTAL_FORMS": str(len(rows)),
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
    }
    for index, (kind, file) in enumerate(rows):
        data[f"documents-{index}-kind"] = kind
        if file is not None:
            data[f"documents-{index}-file"] = file
    return data


def test_social_worker_uploads_all_documents_at_once_and_submits(
    worker_client, planned_group, cast
):
    grant = draft_grant(cast, planned_group, documents=False)
    page = worker_client.get(reverse("grants:grant", args=[planned_group.pk])).content.decode()
    # One row per missing document, its kind already chosen, and a free row.
    for kind in Document.REQUIRED_FOR_SUBMISSION:
        assert re.search(rf'<option value="{kind}" selected>', page)
    rows = [(kind, pdf(f"{kind}.pdf")) for kind in Document.REQUIRED_FOR_SUBMISSION]
    response = worker_client.post(
        reverse("grants:upload", args=[planned_group.pk]), upload_rows(*rows, ("", None))
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/bantuan/#dokumen")  # back where the user was
    assert "4 dokumen diunggah." in worker_client.get(response["Location"]).content.decode()
    assert sorted(grant.documents.values_list("kind", flat=True)) == sorted(
        Document.REQUIRED_FOR_SUBMISSION
    )
    response = worker_client.post(reverse("grants:submit", args=[planned_group.pk]), follow=True)
    assert "Pengajuan bantuan dikirim ke supervisor." in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED


def test_a_program_renamed_as_pdf_is_refused_and_nothing_of_the_batch_stored(
    worker_client, planned_group, cast
):
    draft_grant(cast, planned_group, documents=False)
    fake = SimpleUploadedFile("proposal.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = worker_client.post(
        reverse("grants:upload", args=[planned_group.pk]),
        upload_rows(("rab", pdf("rab.pdf")), ("proposal", fake)),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "proposal.pdf: " in html and "bukan berkas PDF, JPG, PNG atau XLSX" in html
    assert "Tidak ada yang disimpan. Pilih berkasnya lagi" in html
    # The kinds chosen are kept for the second try.
    assert re.search(
        r'name="documents-1-kind"[^>]*>.*?<option value="proposal" selected>', html, re.S
    )
    assert not Document.objects.exists()


def test_a_file_without_its_kind_is_refused(worker_client, planned_group, cast):
    draft_grant(cast, planned_group, documents=False)
    response = worker_client.post(
        reverse("grants:upload", args=[planned_group.pk]), upload_rows(("", pdf("scan.pdf")))
    )
    assert "Pilih jenis berkas ini" in response.content.decode()
    assert not Document.objects.exists()


def test_an_upload_without_any_file_says_so(worker_client, planned_group, cast):
    draft_grant(cast, planned_group, documents=False)
    response = worker_client.post(
        reverse("grants:upload", args=[planned_group.pk]), upload_rows(("proposal", None))
    )
    assert "Pilih berkas untuk sedikitnya satu baris" in response.content.decode()
    assert not Document.objects.exists()


def test_spending_with_receipt_and_monitoring_visit_from_the_portal(
    worker_client, planned_group, cast
):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000)
    line = planned_group.action_plan.budget_lines.first()
    worker_client.post(
        reverse("grants:spending", args=[planned_group.pk]),
        {
            "budget_line": line.pk,
            "description": "Panci",
            "spent_on": "2026-09-20",
            "actual_amount": "2550000",
            "receipt": png("kuitansi.png"),
        },
    )
    worker_client.post(
        reverse("grants:visit", args=[planned_group.pk]),
        {
            "visit_date": "2026-10-30",
            "business_status": "running",
            "monthly_revenue": "1500000",
            "monthly_profit": "400000",
            "active_members": "10",
        },
    )
    spending = grant.spending_lines.get()
    assert (spending.actual_amount, spending.receipt.kind) == (Decimal(2_550_000), "receipt")
    html = worker_client.get(reverse("grants:grant", args=[planned_group.pk])).content.decode()
    assert 'id="revenue-chart"' in html
    # Coordinates are written with a dot whatever the language: "24,0" would break the chart.
    for value in re.findall(r'c[xy]="([^"]+)"', html):
        float(value)
    assert "Rp 1.500.000" in html
    assert grant.visits.get().officer == cast.worker


def test_spending_without_receipt_is_refused(worker_client, planned_group, cast):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000)
    response = worker_client.post(
        reverse("grants:spending", args=[planned_group.pk]),
        {"description": "Panci", "spent_on": "2026-09-20", "actual_amount": "100"},
        follow=True,
    )
    assert "kuitansi:" in response.content.decode()
    assert not grant.spending_lines.exists()


def test_a_submitted_proposal_is_shown_as_text_whole(client, planned_group, cast):
    purpose = "Kelompok memproduksi jamu kemasan botol dan menjualnya ke warung sekitar. " * 3
    submitted_grant(cast, planned_group, purpose=purpose.strip())
    for user in (cast.worker, cast.supervisor):
        client.force_login(user)
        html = client.get(reverse("grants:grant", args=[planned_group.pk])).content.decode()
        assert 'name="purpose"' not in html and 'name="amount_requested"' not in html
        # The account typed with dashes is stored as digits and read back in groups of four.
        assert purpose.strip() in html and "0123 0100 0456 501" in html


def test_status_history_is_shown_to_the_social_worker(worker_client, planned_group, cast):
    grant = approved_grant(cast, planned_group)
    html = worker_client.get(reverse("grants:grant", args=[planned_group.pk])).content.decode()
    for label in ("Draf", "Diajukan, menunggu keputusan", "Disetujui, menunggu pencairan"):
        assert label in html
    assert grant.events.count() == 3


def test_grant_pages_of_another_kelurahan_answer_403(worker_client, cast, karangrejo):
    other = GroupFactory(kelurahan=karangrejo)
    for name in ("grants:grant",):
        assert worker_client.get(reverse(name, args=[other.pk])).status_code == 403
    for name in ("grants:submit", "grants:upload", "grants:spending", "grants:visit"):
        assert worker_client.post(reverse(name, args=[other.pk])).status_code == 403


def test_grant_pages_refuse_the_wrong_method_and_anonymous_visitors(
    client, worker_client, planned_group
):
    assert worker_client.get(reverse("grants:submit", args=[planned_group.pk])).status_code == 405
    client.logout()
    response = client.get(reverse("grants:grant", args=[planned_group.pk]))
    assert response.status_code == 302 and response.url.startswith("/masuk/")


def test_documents_are_served_only_to_those_who_may_see_the_group(client, cast, planned_group):
    grant = draft_grant(cast, planned_group)
    document = grant.documents.first()
    url = reverse("grants:document", args=[document.pk])

    client.force_login(cast.worker)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    stranger = UserFactory(username="pekerja2", roles=["Pekerja Sosial"])
    stranger.kelurahan_assignments.create(kelurahan=_kelurahan("1872021003"))
    client.force_login(stranger)
    assert client.get(url).status_code == 403


def test_handover_minutes_carry_amount_in_figures_and_words_and_the_members(
    client, cast, planned_group
):
    grant = approved_grant(cast, planned_group)
    disbursement = disburse(
        cast, grant, 2_550_000, "BAST/2026/DINSOS/007", datetime.date(2026, 9, 14)
    )
    client.force_login(cast.staff)
    html = client.get(reverse("grants:handover", args=[disbursement.pk])).content.decode()
    assert "BERITA ACARA SERAH TERIMA BANTUAN MODAL USAHA" in html
    # The minutes have their own number; the transfer's reference is named in the text.
    assert (
        f'Nomor: <span id="minutes-number">{disbursement.pk:04d}/BAST-BMU/1872011004/2026<' in html
    )
    assert 'nomor bukti pencairan <span id="reference-number">BAST/2026/DINSOS/007<' in html
    assert "hari Senin tanggal empat belas bulan September tahun dua ribu dua puluh enam" in html
    assert '<strong id="amount">Rp 2.550.000</strong>' in html
    assert "dua juta lima ratus lima puluh ribu rupiah" in html
    assert "Metro, Senin, 14 September 2026" in html
    for membership in planned_group.memberships.select_related("participant"):
        assert membership.participant.full_name in html
        assert membership.participant.nik not in html
    assert "PIHAK PERTAMA" in html and "PIHAK KEDUA" in html
    # Printed on A4 by its own stylesheet (the Content-Security-Policy allows no inline style).
    sheet = re.search(r'<link rel="stylesheet" href="([^"]*handover[^"]*\.css)">', html).group(1)
    with open(finders.find(sheet.removeprefix("/static/"))) as stylesheet:
        assert "@page { size: A4" in stylesheet.read()
    assert "<style" not in html and 'style="' not in html


def test_grant_page_queries_do_not_grow_with_documents_spending_and_visits(
    worker_client, planned_group, cast
):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000)
    url = reverse("grants:grant", args=[planned_group.pk])

    def visit(day):
        worker_client.post(
            reverse("grants:visit", args=[planned_group.pk]),
            {
                "visit_date": f"2026-10-{day:02d}",
                "business_status": "running",
                "monthly_revenue": "1000000",
                "monthly_profit": "100000",
                "active_members": "10",
            },
        )

    spend(cast, grant, 100_000)
    visit(1)
    with CaptureQueriesContext(connection) as few:
        assert worker_client.get(url).status_code == 200
    for day in range(2, 7):
        spend(cast, grant, 100_000, f"Barang {day}")
        visit(day)
    with CaptureQueriesContext(connection) as many:
        assert worker_client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_visit_shows_its_own_photo_not_among_the_loose_documents(
    worker_client, planned_group, cast
):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000)
    visit = services.monitoring_visit_record(
        grant=grant, by=cast.worker, visit_date=datetime.date(2026, 10, 30),
        business_status="running", monthly_revenue=Decimal(1_500_000),
        monthly_profit=Decimal(400_000), active_members=10, photo_file=png("warung.png"),
    )  # fmt: skip
    page = worker_client.get(reverse("grants:grant", args=[planned_group.pk])).text
    visits = page.split('id="visits"')[1].split("</ul>")[0]
    photo = reverse("grants:document", args=[visit.photo_id])
    assert photo in visits and "data-visit-photo" in visits
    assert page.count(f'href="{photo}"') == 1  # not again among the grant's documents
    correction = worker_client.get(
        reverse("grants:visit_edit", args=[planned_group.pk, visit.pk])
    ).text
    assert photo in correction.split('id="visit-photo"')[1].split("</p>")[0]


def test_a_new_visit_is_dated_today(worker_client, planned_group, cast):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000)
    page = worker_client.get(reverse("grants:grant", args=[planned_group.pk]))
    assert page.context["visit_form"].initial["visit_date"] == datetime.date.today()
