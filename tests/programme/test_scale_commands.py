"""The benchmark's own tools, small: synthetic data as real data looks, and every page measured."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from grants.models import Grant
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
    roles = Membership.objects.values_list("role", flat=True)
    assert sorted(set(roles)) == ["anggota", "bendahara", "ketua", "sekretaris"]
    assert {group.memberships.count() for group in ParticipantGroup.objects.all()} == {10}
    assert set(Grant.objects.values_list("status", flat=True)) == set(Grant.Status.values)


def test_every_page_of_the_benchmark_answers():
    call_command("generate_scale_data", participants=100, stdout=StringIO())
    out = StringIO()
    call_command("bench_pages", repeat=1, stdout=out)
    lines = [line for line in out.getvalue().splitlines()[2:] if line.strip()]
    assert len(lines) >= 20
    assert all(line.rstrip().endswith("200") for line in lines), lines
    assert any(line.startswith("reference admin participants, NIK search") for line in lines)
