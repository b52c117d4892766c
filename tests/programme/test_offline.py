"""Forms sent from a phone's queue (/luring/kirim/): the same rules as the pages, a key that
records nothing twice, refusals and conflicts answered with the server's own words, pages kept
for the worker's kelurahan only and with NIKs masked; the manifest and the service worker."""

import datetime
import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from grants.models import Document, MonitoringVisit
from metro_slum.models import OfflineSubmission
from tests.cast import approved_grant, disburse, png
from tests.factories import _kelurahan

pytestmark = pytest.mark.django_db

SEND = "/luring/kirim/"


@pytest.fixture
def paid(cast, planned_group):
    """The group's grant, approved and paid on 15/09/2026: visits and spending may be recorded."""
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000)
    return grant


def visit_fields(group, **changes):
    return {
        "offline_url": reverse("grants:visit", args=[group.pk]),
        "offline_key": str(uuid.uuid4()),
        "visit_date": "30/10/2026",
        "business_status": "running",
        "monthly_revenue": "1500000",
        "monthly_profit": "400000",
        "active_members": "10",
        **changes,
    }


def test_a_visit_sent_twice_under_one_key_is_recorded_once(worker_client, planned_group, paid):
    fields = visit_fields(planned_group, photo_file=png("warung.png"))
    first = worker_client.post(SEND, fields)
    assert first.status_code == 200
    assert first.json()["state"] == "saved"
    assert first.json()["message"] == "Kunjungan monitoring dicatat."
    assert first.json()["next"] == f"/kelompok/{planned_group.pk}/bantuan/#monitoring"

    fields["photo_file"] = png("warung.png")
    again = worker_client.post(SEND, fields)
    assert again.status_code == 200
    assert again.json()["state"] == "already"
    assert again.json()["message"].startswith("Sudah tersimpan pada ")
    visit = MonitoringVisit.objects.get()
    assert (visit.monthly_revenue, visit.photo.kind) == (1_500_000, Document.Kind.PHOTO)
    assert Document.objects.filter(kind=Document.Kind.PHOTO).count() == 1
    assert OfflineSubmission.objects.get().key == uuid.UUID(fields["offline_key"])


def test_someone_elses_key_is_never_already_saved(client, cast, worker_client, planned_group, paid):
    from metro_slum import roles
    from participants.models import KelurahanAssignment
    from tests.factories import UserFactory

    fields = visit_fields(planned_group)
    assert worker_client.post(SEND, fields).json()["state"] == "saved"
    colleague = UserFactory(username="pekerja2", roles=[roles.SOCIAL_WORKER])
    KelurahanAssignment.objects.create(user=colleague, kelurahan=planned_group.kelurahan)
    client.force_login(colleague)
    theirs = client.post(SEND, {**fields, "visit_date": "31/10/2026"}).json()
    # Their own visit, under a key that happens to be another's: recorded, not "already".
    assert theirs["state"] == "saved" and theirs["message"] == "Kunjungan monitoring dicatat."
    assert MonitoringVisit.objects.count() == 2
    assert OfflineSubmission.objects.filter(key=fields["offline_key"]).count() == 2


def test_a_visit_the_rules_refuse_comes_back_with_their_words_and_writes_nothing(
    worker_client, planned_group, paid
):
    # Before the money came (15/09/2026): the dates-in-order rule of the page itself.
    fields = visit_fields(planned_group, visit_date="01/09/2026", photo_file=png("warung.png"))
    response = worker_client.post(SEND, fields)
    assert response.status_code == 422
    answer = response.json()
    assert answer["state"] == "refused"
    assert "15/09/2026" in answer["message"]
    assert MonitoringVisit.objects.count() == 0
    assert Document.objects.filter(kind=Document.Kind.PHOTO).count() == 0  # the photo neither
    assert OfflineSubmission.objects.count() == 0

    # Corrected on the phone and sent again under the same key: saved.
    fields.update(visit_date="30/10/2026", photo_file=png("warung.png"))
    assert worker_client.post(SEND, fields).json()["state"] == "saved"
    assert MonitoringVisit.objects.count() == 1


def test_a_field_error_names_its_field(worker_client, planned_group, paid):
    response = worker_client.post(SEND, visit_fields(planned_group, active_members="11"))
    assert response.status_code == 422
    assert any(p.startswith("Anggota yang masih aktif:") for p in response.json()["problems"])


def test_a_spending_line_with_its_receipt_from_the_queue(worker_client, planned_group, paid):
    line = planned_group.action_plan.budget_lines.first()
    response = worker_client.post(
        SEND,
        {
            "offline_url": reverse("grants:spending", args=[planned_group.pk]),
            "offline_key": str(uuid.uuid4()),
            "budget_line": line.pk,
            "description": "Panci besar",
            "spent_on": "20/09/2026",
            "actual_amount": "750000",
            "receipt": png("kuitansi.png"),
        },
    )
    assert response.json()["state"] == "saved", response.json()
    spending = paid.spending_lines.get()
    assert (spending.description, spending.actual_amount) == ("Panci besar", 750_000)
    assert spending.receipt.kind == Document.Kind.RECEIPT


def test_a_group_the_worker_lost_is_refused_with_that_reason(
    worker_client, social_worker, planned_group, paid
):
    social_worker.kelurahan_assignments.all().delete()
    response = worker_client.post(SEND, visit_fields(planned_group))
    assert response.status_code == 403
    assert response.json()["state"] == "refused"
    assert "tidak lagi di kelurahan Anda" in response.json()["message"]
    assert MonitoringVisit.objects.count() == 0


def test_an_ended_session_asks_to_log_in_and_records_nothing(client, planned_group, paid):
    response = client.post(SEND, visit_fields(planned_group))
    assert response.status_code == 401
    assert response.json()["state"] == "login"
    assert response.json()["login"] == "/masuk/"
    assert MonitoringVisit.objects.count() == 0


def test_a_form_the_queue_does_not_know_is_refused(worker_client, planned_group):
    for url in ("", "/tidak-ada/", reverse("participants:participant_create"), "\x00"):
        response = worker_client.post(SEND, {"offline_url": url, "offline_key": "x"})
        assert response.status_code == 400
        assert response.json()["message"] == (
            "Formulir ini tidak dapat dikirim dari antrean ponsel."
        )


def record_visit(client, group):
    client.post(reverse("grants:visit", args=[group.pk]), visit_fields(group))
    return MonitoringVisit.objects.get()


def correction(group, visit, version, **changes):
    return visit_fields(
        group,
        offline_url=reverse("grants:visit_edit", args=[group.pk, visit.pk]),
        version=str(version),
        **changes,
    )


def test_a_correction_from_an_older_version_is_a_conflict_with_both_versions(
    worker_client, planned_group, paid
):
    visit = record_visit(worker_client, planned_group)
    # Corrected online meanwhile: revenue 1,800,000 (version 2).
    online = worker_client.post(
        reverse("grants:visit_edit", args=[planned_group.pk, visit.pk]),
        correction(planned_group, visit, 1, monthly_revenue="1800000"),
    )
    assert online.status_code == 302
    # The phone's correction started from version 1: revenue 1,600,000.
    phone = correction(planned_group, visit, 1, monthly_revenue="1600000")
    response = worker_client.post(SEND, phone)
    assert response.status_code == 409
    answer = response.json()
    assert answer["state"] == "conflict" and answer["version"] == 2
    assert ["Omzet per bulan (Rp)", "1.800.000", "1.600.000"] in answer["both"]
    assert ["Keadaan usaha", "Berjalan", "Berjalan"] in answer["both"]
    visit.refresh_from_db()
    assert (visit.monthly_revenue, visit.version) == (1_800_000, 2)

    # The worker keeps the phone's version: sent again from version 2, it is saved.
    phone.update(version="2", offline_key=str(uuid.uuid4()))
    assert worker_client.post(SEND, phone).json()["state"] == "saved"
    visit.refresh_from_db()
    assert (visit.monthly_revenue, visit.version) == (1_600_000, 3)
    assert visit.changed_by.username == "pekerja"


def test_the_correction_page_shows_both_versions_when_they_differ(
    worker_client, planned_group, paid
):
    visit = record_visit(worker_client, planned_group)
    url = reverse("grants:visit_edit", args=[planned_group.pk, visit.pk])
    page = worker_client.get(url).content.decode()
    assert 'name="version" value="1"' in page
    worker_client.post(url, correction(planned_group, visit, 1, monthly_profit="500000"))
    stale = worker_client.post(url, correction(planned_group, visit, 1, monthly_profit="450000"))
    html = stale.content.decode()
    assert stale.status_code == 200
    assert "sudah diubah orang lain sejak dibuka" in html
    assert "<td>500.000</td><td>450.000</td>" in html.replace("\n", "")
    assert 'name="version" value="2"' in html  # saved again, the form's version overwrites
    visit.refresh_from_db()
    assert visit.monthly_profit == 500_000


def test_a_double_click_on_a_page_records_once(worker_client, planned_group, paid):
    fields = visit_fields(planned_group)
    url = reverse("grants:visit", args=[planned_group.pk])
    first = worker_client.post(url, fields, follow=True)
    second = worker_client.post(url, fields, follow=True)
    assert "Kunjungan monitoring dicatat." in first.content.decode()
    assert "tidak dicatat dua kali" in second.content.decode()
    assert MonitoringVisit.objects.count() == 1


def test_a_follow_up_step_with_evidence_from_the_queue(worker_client, social_worker, planned_group):
    from families.models import FollowUp
    from families.services import follow_up_create

    follow_up = follow_up_create(
        group=planned_group,
        by=social_worker,
        on=datetime.date(2026, 10, 1),
        category="economic",
        need="Pelatihan pembukuan",
        scope=FollowUp.Scope.GROUP,
        service="training",
        due_date=datetime.date(2026, 12, 31),
    )
    response = worker_client.post(
        SEND,
        {
            "offline_url": reverse("families:follow_up", args=[follow_up.pk]),
            "offline_key": str(uuid.uuid4()),
            "step": "refer",
            "on": "01/11/2026",
            "referred_to": "UPTD Balai Latihan Kerja",
            "note": "",
            "files": png("surat.png"),
        },
    )
    assert response.json()["state"] == "saved", response.json()
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.referred_to) == ("referred", "UPTD Balai Latihan Kerja")
    assert follow_up.evidence.count() == 1


def test_the_phone_keeps_only_its_workers_kelurahan(
    worker_client, client, cast, planned_group, paid
):
    from participants.models import ParticipantGroup
    from tests.cast import ready_group

    elsewhere = ready_group(cast, _kelurahan("1872041003"))
    pages = worker_client.get("/luring/halaman/").json()["pages"]
    assert f"/kelompok/{planned_group.pk}/" in pages
    assert f"/kelompok/{planned_group.pk}/bantuan/" in pages
    members = planned_group.memberships.values_list("participant_id", flat=True)
    assert {f"/peserta/{pk}/" for pk in members} <= set(pages)
    assert f"/kelompok/{elsewhere.pk}/" not in pages
    assert len(pages) == 2 + 4 + 10  # home, /luring/; group, assessment, plan, grant; members
    assert ParticipantGroup.objects.count() == 2
    client.force_login(cast.supervisor)  # sees every kelurahan: keeps nothing on a phone
    assert client.get("/luring/halaman/").json()["pages"] == []


def test_a_kept_page_masks_the_nik(worker_client, planned_group):
    participant = planned_group.memberships.first().participant
    url = reverse("person", args=[participant.pk])
    assert participant.nik in worker_client.get(url).content.decode()
    kept = worker_client.get(url, headers={"X-Offline-Copy": "1"}).content.decode()
    assert participant.nik not in kept
    assert participant.nik[:4] + "**********" + participant.nik[-2:] in kept


def test_a_kept_page_keeps_the_phone_number_as_a_call_link(worker_client, planned_group):
    # Without mobile data a phone still calls: the worker finds a member's house by calling
    # them, which is why the kept page keeps the number (docs/privasi.md).
    participant = planned_group.memberships.first().participant
    participant.phone = "0812-3456-7890"
    participant.save(update_fields=["phone"])
    url = reverse("person", args=[participant.pk])
    kept = worker_client.get(url, headers={"X-Offline-Copy": "1"}).content.decode()
    assert '<a class="tap" href="tel:+6281234567890">0812 3456 7890</a>' in kept


def test_the_status_gives_a_fresh_token_and_the_days_pages_are_kept(worker_client, client):
    answer = worker_client.get("/luring/status/").json()
    assert answer["keep_days"] == settings.OFFLINE_KEEP_DAYS == 7
    assert len(answer["csrf"]) >= 32
    assert client.get("/luring/status/").status_code in (200, 401)


def test_the_manifest_installs_the_portal_in_indonesian(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Program Slum Area · Dinas Sosial Kota Metro"
    assert (manifest["lang"], manifest["start_url"], manifest["display"]) == (
        "id",
        "/",
        "standalone",
    )
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    from PIL import Image

    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert Image.open(Path(path)).size == tuple(map(int, icon["sizes"].split("x")))


def test_the_service_worker_is_served_from_the_root_with_its_files(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "text/javascript"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    assets = json.loads(body.split("var ASSETS = ", 1)[1].split(";\n", 1)[0])
    assert "/static/js/offline.js" in assets
    for asset in assets:
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
    assert "&quot;" not in body
