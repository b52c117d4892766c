"""Personal data: the legal basis, everything held about one person, anonymisation after the
retention period with the programme's figures kept."""

import datetime
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import Document, Grant
from metro_slum.models import ExportRecord
from participants import ranks
from participants.models import Participant, Program
from programme import privacy

pytestmark = pytest.mark.django_db


def test_staff_download_everything_held_about_one_person_and_it_is_logged(client, demo):
    person = Participant.objects.filter(memberships__program__year=2026).first()
    client.force_login(demo["staf"])
    response = client.post(reverse("programme:person_data", args=[person.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    values = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=5)]
    items = {(section, item): value for section, item, value in values}
    assert items[("Data pribadi", "NIK")] == person.nik
    assert items[("Data pribadi", "nama lengkap")] == person.full_name
    assert any(section == "Kelompok" for section, _item, _value in values)
    assert any(section == "Asesmen kebutuhan" for section, _item, _value in values)
    assert any(section == "Riwayat" for section, _item, _value in values)
    reading = ranks.latest_rank(person.kk_number)
    assert items[("Peringkat DTSEN keluarga", f"{reading.as_of:%d/%m/%Y}")] == (
        f"Desil {reading.desil}, Daftar DTSEN"
    )
    record = ExportRecord.objects.get()
    assert (record.kind, record.user) == ("person_data", demo["staf"])


@pytest.mark.parametrize("username", ["supervisor", "pekerja"])
def test_those_who_do_not_see_full_numbers_or_export_cannot_take_it(client, demo, username):
    person = Participant.objects.first()
    client.force_login(demo[username])
    assert client.post(reverse("programme:person_data", args=[person.pk])).status_code == 403
    assert client.get(reverse("programme:person_data", args=[person.pk])).status_code == 405
    assert not ExportRecord.objects.exists()


def test_anonymising_after_retention_keeps_the_figures(demo):
    pilot = Program.objects.get(year=2025)
    pilot_people = set(
        Participant.objects.filter(memberships__program=pilot).values_list("pk", flat=True)
    )
    current = set(
        Participant.objects.filter(memberships__program__year=2026).values_list("pk", flat=True)
    )
    grants_before = list(Grant.objects.values_list("pk", "status", "amount_approved"))
    assert Document.objects.filter(grant__program=pilot, kind=Document.Kind.KTP).exists()

    people, documents = privacy.anonymise_past_retention(years=1, today=datetime.date(2027, 7, 1))

    assert people == len(pilot_people) == 20
    assert documents == 2
    for person in Participant.objects.filter(pk__in=pilot_people):
        assert person.anonymised_at is not None
        assert person.full_name == f"Anonim {person.pk}"
        assert person.nik.startswith("00") and person.phone == "" and person.address == ""
        assert person.history.count() == 0
    assert not Participant.objects.filter(pk__in=current, anonymised_at__isnull=False).exists()
    assert Participant.objects.count() == 72
    assert list(Grant.objects.values_list("pk", "status", "amount_approved")) == grants_before
    assert not Document.objects.filter(grant__program=pilot, kind=Document.Kind.KTP).exists()
    # A second run finds nobody left to anonymise.
    assert privacy.anonymise_past_retention(years=1, today=datetime.date(2027, 7, 1)) == (0, 0)


def test_the_command_counts_on_a_dry_run_and_refuses_nonsense(demo):
    out = StringIO()
    call_command("anonymise_participants", "--years", "5", "--dry-run", stdout=out)
    assert "0 peserta akan dianonimkan" in out.getvalue()
    err = StringIO()
    call_command("anonymise_participants", "--years", "0", stdout=StringIO(), stderr=err)
    assert "--years" in err.getvalue()


def test_the_personal_data_holds_aid_follow_ups_and_outcomes_and_anonymising_clears_them(
    client, demo
):
    from families.models import Aid, Evidence, FollowUp

    follow_up = FollowUp.objects.filter(service="identity").get()  # a lost KTP, with a letter
    person = follow_up.participant
    assert Aid.objects.filter(participant=person).exists()
    client.force_login(demo["staf"])
    response = client.post(reverse("programme:person_data", args=[person.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    values = [
        tuple(cell.value for cell in row)
        for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=5)
    ]
    sections = {section for section, _item, _value in values}
    assert {"Bantuan yang diterima", "Tindak lanjut", "Pengukuran hasil"} <= sections
    assert any("KTP hilang saat banjir" in str(value) for _s, _i, value in values)

    privacy.participant_services.participant_anonymise(participant=person)
    privacy.family_services.person_traces_remove(person)
    follow_up.refresh_from_db()
    assert follow_up.need == "–" and follow_up.status == "referred"
    assert not Evidence.objects.filter(follow_up=follow_up).exists()
