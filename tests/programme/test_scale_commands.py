"""The benchmark's own tools, small: synthetic data as real data looks, and every page measured."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from grants.models import Grant, HouseholdReach, PlaceGrantCount
from metro_slum import figures
from participants.identity import nik_agreement_errors, validate_kk, validate_nik
from participants.models import Membership, Participant, ParticipantGroup

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="written by PostgreSQL itself"),
]


def test_scale_data_is_valid_and_covers_every_stage():
    call_command("generate_scale_data", participants=200, stdout=StringIO())
    people = list(Participant.objects.all())
    assert len(people) == 200 and len({p.nik for p in people}) == 200
    for person in people:
        validate_nik(person.nik)
        validate_kk(person.kk_number)
        assert nik_agreement_errors(person.nik, person.birth_date, person.sex == "P") == []
    assert ParticipantGroup.objects.count() == 20
    # Decided grants carry their dates, in order (metro_slum.chronology).
    assert Grant.objects.filter(status="disbursed", decided_at__isnull=False).exists()
    dates = StringIO()
    call_command("check_dates", stdout=dates)
    assert dates.getvalue().strip() == "Semua tanggal catatan berurutan."
    roles = Membership.objects.values_list("role", flat=True)
    assert sorted(set(roles)) == ["chair", "member", "secretary", "treasurer"]
    assert {group.memberships.count() for group in ParticipantGroup.objects.all()} == {10}
    assert set(Grant.objects.values_list("status", flat=True)) == set(Grant.Status.values)
    # The summaries written in bulk (the grants' money and dates in SQL) are what a recount by
    # metro_slum.figures says.
    assert {(g.roster_size, g.roster_complete) for g in ParticipantGroup.objects.all()} == {
        (10, True)
    }
    assert figures.drift() == []
    written = Grant.objects.values("disbursed_amount", "last_visit_status")
    assert any(g["disbursed_amount"] for g in written)
    assert any(g["last_visit_status"] for g in written)
    reached = set(HouseholdReach.objects.values_list("program_id", "kk_number"))
    funded = Membership.objects.filter(group__grants__first_tranche_on__isnull=False)
    assert reached and reached == set(funded.values_list("program_id", "participant__kk_number"))
    assert {c.status for c in PlaceGrantCount.objects.all()} == set(Grant.Status.values)


def test_every_page_of_the_benchmark_answers():
    call_command("generate_scale_data", participants=100, stdout=StringIO())
    out = StringIO()
    call_command("bench_pages", repeat=1, stdout=out)
    pages, exports = out.getvalue().split("\nexport ", 1)
    lines = [line for line in pages.splitlines()[2:] if line.strip()]
    assert len(lines) >= 30
    assert all(line.rstrip().endswith("200") for line in lines), lines
    assert any(line.startswith("reference admin participants, NIK search") for line in lines)

    whole = [line for line in exports.splitlines() if "whole programme" in line]
    assert len(whole) == 2 and all(line.split()[-5] == "100" for line in whole), whole
