from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import ActionPlan, NeedsAssessment
from grants.models import Grant
from participants.identity import nik_agreement_errors, validate_kk, validate_nik
from participants.models import Membership, Participant, ParticipantGroup, Program
from programme.selectors import group_rows, with_stages
from tests.conftest import world

pytestmark = pytest.mark.django_db

SEED = {
    "Hadimulyo Barat": ("Metro Pusat", "herbal_drinks"),
    "Iringmulyo": ("Metro Timur", "lpg"),
    "Rejomulyo": ("Metro Selatan", "lpg"),
    "Ganjar Asri": ("Metro Barat", "cakes"),
    "Karangrejo": ("Metro Utara", "vegetables"),
}


@world
def demo_loaded_twice():
    """The demo loaded twice, as running `make demo` again does: every test reads what the
    second run left (safe to rerun); what the second run printed."""
    for _run in range(2):
        out = StringIO()
        call_command("load_demo", "--allow-without-debug", stdout=out)
    return out.getvalue()


def test_load_demo_twice_gives_the_programme_of_five_groups_of_ten_and_the_pilot(demo_loaded_twice):
    assert list(Program.objects.order_by("year").values_list("year", "is_active")) == [
        (2025, False),
        (2026, True),
    ]
    assert ParticipantGroup.objects.filter(program__year=2026).count() == 5
    assert ParticipantGroup.objects.filter(program__year=2025).count() == 2
    assert Participant.objects.count() == 72
    for group in ParticipantGroup.objects.all():
        roles = list(group.memberships.values_list("role", flat=True))
        assert len(roles) == 10
        for officer in Membership.OFFICER_ROLES:
            assert roles.count(officer) == 1, (group.name, officer)


def test_demo_groups_reproduce_the_seed_table(demo_loaded_twice):
    groups = ParticipantGroup.objects.filter(program__year=2026).select_related(
        "kelurahan__kecamatan"
    )
    assert {g.kelurahan.name: (g.kelurahan.kecamatan.name, g.business_type) for g in groups} == SEED


def test_demo_people_have_valid_coherent_identity_numbers(demo_loaded_twice):
    for person in Participant.objects.select_related("kelurahan__kecamatan"):
        validate_nik(person.nik)
        validate_kk(person.kk_number)
        assert person.nik.startswith("1872")
        assert person.nik[:6] == person.kelurahan.kecamatan.code
        assert person.kk_number[:6] == person.kelurahan.kecamatan.code
        assert (
            nik_agreement_errors(
                person.nik, person.birth_date, person.sex == Participant.Sex.FEMALE
            )
            == []
        )


def test_demo_shows_every_assessment_and_plan_state(demo_loaded_twice):
    assessments = {
        a.group.kelurahan.name: a.status
        for a in NeedsAssessment.objects.filter(group__program__year=2026).select_related(
            "group__kelurahan"
        )
    }
    assert assessments == {
        "Hadimulyo Barat": "reviewed",
        "Iringmulyo": "reviewed",
        "Rejomulyo": "reviewed",
        "Ganjar Asri": "reviewed",
        "Karangrejo": "submitted",
    }
    plans = {
        p.group.kelurahan.name: p.status
        for p in ActionPlan.objects.filter(group__program__year=2026).select_related(
            "group__kelurahan"
        )
    }
    assert plans == {
        "Hadimulyo Barat": "approved",
        "Iringmulyo": "approved",
        "Rejomulyo": "submitted",
        "Ganjar Asri": "approved",
        "Karangrejo": "draft",
    }
    for assessment in NeedsAssessment.objects.filter(group__program__year=2026):
        assert assessment.start_date.month == 8 and 7 <= assessment.start_date.day <= 12
        assert assessment.end_date.day <= 12
        assert assessment.problems.count() == 4
        assert list(assessment.problems.values_list("rank", flat=True)) == [1, 2, 3, 4]
        assert assessment.profiles.count() == 10
        assert assessment.chosen_business == assessment.group.business_type
    for plan in ActionPlan.objects.select_related("group__program"):
        total = sum(line.line_total for line in plan.budget_lines.all())
        assert 0 < total <= plan.group.program.grant_ceiling_per_group


def test_demo_grants_stand_in_every_state_the_desk_shows(demo_loaded_twice):
    grants = {
        g.group.kelurahan.name: g
        for g in Grant.objects.filter(program__year=2026).select_related("group__kelurahan")
    }
    assert {name: g.status for name, g in grants.items()} == {
        "Hadimulyo Barat": "accounted",
        "Iringmulyo": "approved",
        "Rejomulyo": "submitted",
        "Ganjar Asri": "rejected",
        "Karangrejo": "draft",
    }
    accounted = grants["Hadimulyo Barat"]
    assert sum(d.amount for d in accounted.disbursements.all()) == accounted.amount_approved
    assert accounted.disbursements.count() == 2
    assert accounted.visits.count() >= 3
    assert len({v.visit_date.month for v in accounted.visits.all()}) >= 3
    assert all(line.receipt_id for line in accounted.spending_lines.all())
    rejected = grants["Ganjar Asri"]
    assert rejected.rejection_reason
    assert rejected.amount_requested < sum(
        line.line_total for line in rejected.action_plan.budget_lines.all()
    )
    assert list(accounted.events.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "approved",
        "disbursed",
        "disbursed",
        "accounted",
    ]


def test_the_pilot_shows_a_closed_grant_and_an_outstanding_accountability_report(demo_loaded_twice):
    pilot = {
        g.group.kelurahan.name: g
        for g in Grant.objects.filter(program__year=2025).select_related("group__kelurahan")
    }
    assert {name: g.status for name, g in pilot.items()} == {
        "Hadimulyo Barat": "closed",
        "Rejomulyo": "disbursed",
    }
    closed = pilot["Hadimulyo Barat"]
    assert len({v.visit_date.month for v in closed.visits.all()}) == 3
    assert list(closed.events.values_list("to_status", flat=True))[-2:] == ["accounted", "closed"]
    outstanding = pilot["Rejomulyo"]
    spent = sum(line.actual_amount for line in outstanding.spending_lines.all())
    assert 0 < spent < sum(d.amount for d in outstanding.disbursements.all())
    assert outstanding.visits.count() == 0


def test_each_demo_group_stands_at_its_stage(demo_loaded_twice):
    stages = {
        (row.program.year, row.kelurahan.name): (row.stage.number, row.stage.key)
        for row in with_stages(group_rows())
    }
    assert stages == {
        (2026, "Hadimulyo Barat"): (10, "monitoring"),
        (2026, "Iringmulyo"): (8, "grant_approved"),
        (2026, "Rejomulyo"): (7, "grant_submitted"),
        (2026, "Ganjar Asri"): (6, "proposal"),
        (2026, "Karangrejo"): (3, "assessment_submitted"),
        (2025, "Hadimulyo Barat"): (11, "closed"),
        (2025, "Rejomulyo"): (9, "disbursed"),
    }
