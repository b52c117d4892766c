"""The overview pages ask the database the same number of times for 5 groups as for 200."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import ActionPlan, NeedsAssessment
from families.models import Aid, AidKind, FollowUp, Measurement, MemberMeasurement
from grants.models import Disbursement, Grant, MonitoringVisit
from metro_slum import figures
from participants.models import Membership, Participant, ParticipantGroup
from programme import views
from tests.factories import ParticipantFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("session_refresh_off")]


def add_groups(count, *, program, kelurahan, officer, start=0):
    """Add `count` groups with a chair, an assessment, a plan, a disbursed grant and a visit."""
    groups = ParticipantGroup.objects.bulk_create(
        ParticipantGroup(name=f"Kelompok {start + i:03d}", program=program, kelurahan=kelurahan)
        for i in range(count)
    )
    chair = ParticipantFactory.build(kelurahan=kelurahan)
    people = Participant.objects.bulk_create(
        Participant(
            **{
                f.attname: getattr(chair, f.attname)
                for f in Participant._meta.concrete_fields
                if f.attname != "id"
            }
            | {"nik": f"187201120885{start + i:04d}", "full_name": f"Ketua {start + i}"}
        )
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(group=g, participant=p, program=program, role=Membership.Role.KETUA)
        for g, p in zip(groups, people, strict=True)
    )
    figures.changed(groups=[g.pk for g in groups])  # as the roster service does
    members = {m.group_id: m for m in Membership.objects.filter(group__in=groups)}
    NeedsAssessment.objects.bulk_create(
        NeedsAssessment(group=g, status=NeedsAssessment.Status.REVIEWED) for g in groups
    )
    plans = ActionPlan.objects.bulk_create(
        ActionPlan(group=g, status=ActionPlan.Status.APPROVED) for g in groups
    )
    grants = Grant.objects.bulk_create(
        Grant(
            group=g,
            program=program,
            action_plan=plan,
            amount_requested=Decimal(1_000_000),
            amount_approved=Decimal(1_000_000),
            purpose="Modal",
            status=Grant.Status.DISBURSED,
        )
        for g, plan in zip(groups, plans, strict=True)
    )
    Disbursement.objects.bulk_create(
        Disbursement(
            grant=grant,
            date=datetime.date(2026, 9, 1),
            amount=Decimal(500_000),
            method=Disbursement.Method.CASH,
            reference_number=f"Q-{start + i}",
            handed_over_by=officer,
            received_by=members[grant.group_id],
        )
        for i, grant in enumerate(grants)
    )
    _add_family_help(groups, people, officer)
    MonitoringVisit.objects.bulk_create(
        MonitoringVisit(
            grant=grant,
            visit_date=datetime.date(2026, 10, 1),
            officer=officer,
            business_status=MonitoringVisit.BusinessStatus.RUNNING,
            monthly_revenue=Decimal(900_000),
            monthly_profit=Decimal(200_000),
            active_members=1,
        )
        for grant in grants
    )
    figures.changed(grants=[grant.pk for grant in grants])  # as the grant services do


def _add_family_help(groups, people, officer):
    """A follow-up, an aid and a baseline with its 3-month measurement for every group's chair."""
    FollowUp.objects.bulk_create(
        FollowUp(
            group=g,
            category="health",
            need="BPJS PBI",
            scope=FollowUp.Scope.GROUP,
            service=FollowUp.Service.BPJS_PBI,
            due_date=datetime.date(2026, 10, 1),
        )
        for g in groups
    )
    kind = AidKind.objects.first()
    Aid.objects.bulk_create(
        Aid(participant=p, kind=kind, source="Kemensos", received_on=datetime.date(2026, 8, 1),
            value=Decimal(100_000), created_by=officer)
        for p in people
    )  # fmt: skip
    for milestone, income in ((0, 400_000), (3, 700_000)):
        measurements = Measurement.objects.bulk_create(
            Measurement(group=g, milestone=milestone, measured_on=datetime.date(2026, 10, 1))
            for g in groups
        )
        MemberMeasurement.objects.bulk_create(
            MemberMeasurement(measurement=m, participant=p, monthly_income=Decimal(income),
                              household_size=3, dtsen_in=True, dtsen_desil=1)
            for m, p in zip(measurements, people, strict=True)
        )  # fmt: skip


PAGES = [
    ("home", {}),
    ("programme:dashboard", {}),
    ("programme:work", {"perlu": "lpj-diterima"}),
    ("programme:report", {"kind": "rekap"}),
    ("programme:report", {"kind": "penerima"}),
    ("programme:report", {"kind": "pemantauan"}),
    ("programme:report", {"kind": "hasil"}),
    ("programme:report", {"kind": "rekap", "kelurahan": "1872011004"}),
    ("programme:report", {"kind": "pemantauan", "kelurahan": "1872011004"}),
    ("programme:reports", {}),
    ("programme:kelurahan", {"code": "1872011004"}),
    ("admin:index", {}),
    ("admin:grants_grant_changelist", {}),
    ("admin:families_followup_changelist", {}),
    ("admin:families_aid_changelist", {}),
    ("admin:families_measurement_changelist", {}),
    ("admin:assessments_needsassessment_changelist", {}),
    ("admin:participants_participantgroup_changelist", {}),
    ("admin:participants_membership_changelist", {}),
]


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_overview_page_queries_do_not_grow_with_the_groups(
    client, hadimulyo_barat, name, params, monkeypatch
):
    # The home page lists every group up to a limit (tested below beyond it).
    monkeypatch.setattr(views, "HOME_GROUPS_LISTED", 10_000)
    supervisor = UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    program = ProgramFactory(total_budget=Decimal(10**12), grant_ceiling_per_group=Decimal(10**9))
    client.force_login(supervisor)
    kwargs = {k: v for k, v in params.items() if k in ("kind", "code")}
    query = {k: v for k, v in params.items() if k not in kwargs}
    url = reverse(name, kwargs=kwargs or None)

    add_groups(5, program=program, kelurahan=hadimulyo_barat, officer=supervisor)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url, query)
    add_groups(195, program=program, kelurahan=hadimulyo_barat, officer=supervisor, start=5)
    with CaptureQueriesContext(connection) as many:
        second = client.get(url, query)

    assert first.status_code == second.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    if name == "programme:dashboard":
        # Fifty groups a page; the totals count all two hundred.
        html = second.content.decode()
        assert 'data-total="complete">0 / 200<' in html and 'id="group-pages"' in html
        # The money of all two hundred, from the figures kept as each tranche was recorded.
        assert 'data-total="disbursed">Rp 100.000.000<' in html
    elif name == "programme:kelurahan":
        html = second.content.decode()
        assert "200 kelompok" in html and 'id="group-pages"' in html
    elif name.startswith("admin:families"):
        # One follow-up and one aid per group; a baseline and a 3-month measurement per group.
        per_group = 2 if "measurement" in name else 1
        assert second.context["cl"].result_count == 200 * per_group
    elif name == "admin:participants_participantgroup_changelist":
        assert second.context["cl"].result_count == 200  # a hundred a page, by name
    elif name not in ("admin:index", "programme:reports"):
        assert "Kelompok 199" in second.content.decode()


def test_beyond_the_limit_the_home_page_counts_groups_per_kelurahan(
    client, hadimulyo_barat, monkeypatch
):
    monkeypatch.setattr(views, "HOME_GROUPS_LISTED", 3)
    supervisor = UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    program = ProgramFactory(total_budget=Decimal(10**12), grant_ceiling_per_group=Decimal(10**9))
    client.force_login(supervisor)
    add_groups(5, program=program, kelurahan=hadimulyo_barat, officer=supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    add_groups(195, program=program, kelurahan=hadimulyo_barat, officer=supervisor, start=5)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("home")).content.decode()
    assert len(many) == len(few)
    assert 'data-groups="1872011004">200<' in html
    assert "Kelompok 199" not in html


def test_beyond_the_limit_a_report_offers_its_kelurahan_in_the_same_queries(
    client, hadimulyo_barat, settings
):
    settings.REPORT_GROUPS_AT_ONCE = 3
    supervisor = UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    program = ProgramFactory(total_budget=Decimal(10**12), grant_ceiling_per_group=Decimal(10**9))
    client.force_login(supervisor)
    url = reverse("programme:report", args=["rekap"])
    add_groups(5, program=program, kelurahan=hadimulyo_barat, officer=supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_groups(195, program=program, kelurahan=hadimulyo_barat, officer=supervisor, start=5)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    assert 'id="report-places"' in html and "kelurahan=1872011004" in html
    assert "Kelompok 199" not in html


@pytest.mark.parametrize("kind", ["rekap", "penerima", "pemantauan", "hasil"])
def test_a_report_in_parts_answers_in_the_same_queries_with_one_part_or_forty(
    client, hadimulyo_barat, settings, kind
):
    settings.REPORT_GROUPS_PER_PART = 5
    supervisor = UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    program = ProgramFactory(total_budget=Decimal(10**12), grant_ceiling_per_group=Decimal(10**9))
    client.force_login(supervisor)
    url = reverse("programme:report", args=[kind])
    query = {"kelurahan": hadimulyo_barat.code, "bagian": 40}
    add_groups(5, program=program, kelurahan=hadimulyo_barat, officer=supervisor)
    with CaptureQueriesContext(connection) as few:
        one = client.get(url, query)
    add_groups(195, program=program, kelurahan=hadimulyo_barat, officer=supervisor, start=5)
    with CaptureQueriesContext(connection) as many:
        last = client.get(url, query)
    assert len(many) == len(few)
    assert "report-part" not in one.content.decode()
    assert "Bagian 40 dari 40: kelompok 196–200 dari 200" in last.content.decode()
