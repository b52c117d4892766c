import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services
from grants import services as grant_services
from grants.models import MonitoringVisit
from participants import services as participant_services
from participants.models import Membership
from programme import selectors, stages
from tests.assessments.helpers import save_assessment, save_plan
from tests.cast import Cast, disburse, draft_grant, ready_group, spend
from tests.conftest import fill_group
from tests.factories import GroupFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def stage_of(group):
    return selectors.with_stages(selectors.group_rows().filter(pk=group.pk))[0].stage


def visit(cast, grant, date, status=MonitoringVisit.BusinessStatus.RUNNING):
    return grant_services.monitoring_visit_record(
        grant=grant,
        by=cast.worker,
        visit_date=date,
        business_status=status,
        monthly_revenue=Decimal(1_500_000),
        monthly_profit=Decimal(400_000),
        active_members=10,
    )


def test_a_group_walks_every_stage_to_a_closed_grant(hadimulyo_barat):
    cast = Cast(hadimulyo_barat)
    group = GroupFactory(kelurahan=hadimulyo_barat)
    fill_group(group, 9)
    stage = stage_of(group)
    assert (stage.key, stage.number, stage.total) == ("forming", 1, 11)
    assert "9 dari 10 anggota, perlu 1 lagi" in stage.next_step
    assert stage.actor_label == "pekerja sosial"

    fill_group(group, 1)
    assert (stage_of(group).number, stage_of(group).label) == (2, "Asesmen kebutuhan")
    save_assessment(group)
    services.assessment_submit(group=group, by=cast.worker)
    assert stage_of(group).key == "assessment_submitted"
    assert stage_of(group).actor_label == "supervisor"

    services.assessment_return(assessment=group.needs_assessment, by=cast.supervisor, note="Ulangi")
    assert "sesuai catatan supervisor" in stage_of(group).next_step
    services.assessment_submit(group=group, by=cast.worker)
    services.assessment_review(assessment=group.needs_assessment, by=cast.supervisor)
    assert stage_of(group).key == "plan"

    save_plan(group)
    services.action_plan_submit(group=group, by=cast.worker)
    assert stage_of(group).key == "plan_submitted"
    services.action_plan_approve(plan=group.action_plan, by=cast.supervisor)
    assert stage_of(group).key == "proposal"

    grant = draft_grant(cast, group)
    assert stage_of(group).key == "proposal"
    grant = grant_services.grant_submit(grant=grant, by=cast.worker)
    assert (stage_of(group).key, stage_of(group).number) == ("grant_submitted", 7)

    grant = grant_services.grant_reject(grant=grant, by=cast.supervisor, reason="Revisi harga")
    assert stage_of(group).key == "proposal"
    assert "Revisi usulan" in stage_of(group).next_step

    grant = grant_services.grant_submit(grant=grant, by=cast.worker)
    grant = grant_services.grant_approve(grant=grant, by=cast.supervisor)
    assert stage_of(group).key == "grant_approved"
    assert stage_of(group).actor_label == "staf administrasi atau supervisor"

    disburse(cast, grant, 2_000_000, "T-1", date=timezone.localdate())
    stage = stage_of(group)
    assert (stage.key, stage.actor_label) == ("disbursed", "pekerja sosial")
    assert stage.detail == "Rp 0 dari Rp 2.000.000 sudah dipertanggungjawabkan"

    spend(cast, grant, 2_000_000)
    assert stage_of(group).actor_label == "supervisor"
    grant = grant_services.grant_mark_accounted(grant=grant, by=cast.supervisor)
    stage = stage_of(group)
    assert (stage.key, stage.number) == ("monitoring", 10)
    assert stage.detail == "belum ada kunjungan"

    visit(cast, grant, timezone.localdate())
    assert "Berjalan" in stage_of(group).detail

    grant_services.grant_close(grant=grant, by=cast.supervisor, note="Mandiri")
    assert (stage_of(group).key, stage_of(group).number) == ("closed", 11)


def test_ten_members_without_officers_is_still_forming_and_says_who_is_missing(group):
    for _ in range(10):
        participant_services.membership_add(
            group=group,
            participant=ParticipantFactory(kelurahan=group.kelurahan),
            role=Membership.Role.ANGGOTA,
        )
    stage = stage_of(group)
    assert stage.key == "forming"
    assert "belum ada Ketua; belum ada Sekretaris; belum ada Bendahara" in stage.next_step


def test_monitoring_is_due_sixty_days_after_the_last_visit(hadimulyo_barat):
    cast = Cast(hadimulyo_barat)

    group = ready_group(cast, hadimulyo_barat)
    long_ago = timezone.now() - datetime.timedelta(days=130)
    grant = grant_services.grant_approve(
        grant=grant_services.grant_submit(
            grant=draft_grant(cast, group, at=long_ago), by=cast.worker, at=long_ago
        ),
        by=cast.supervisor,
        at=long_ago,
    )
    today = timezone.localdate()
    disburse(cast, grant, 1_000_000, "T-1", date=today - datetime.timedelta(days=120))
    row = selectors.group_rows().get(pk=group.pk)
    assert row.monitoring_due is True

    visit(cast, grant, today - datetime.timedelta(days=61))
    assert selectors.group_rows().get(pk=group.pk).monitoring_due is True
    visit(cast, grant, today - datetime.timedelta(days=59))
    assert selectors.group_rows().get(pk=group.pk).monitoring_due is False


def test_the_stage_list_ends_with_a_closed_grant():
    assert [key for key, _label in stages.STAGES][-4:] == [
        "grant_approved",
        "disbursed",
        "monitoring",
        "closed",
    ]


def test_the_tracker_reads_each_next_step_and_who_takes_it_from_the_state_tables(hadimulyo_barat):
    """What the tracker says comes next, and who takes it, is the step's own hint and actor in
    its record's table; the badge's colour follows the actor's key, in any language."""
    from django.utils import translation

    from grants.models import Grant

    cast = Cast(hadimulyo_barat)
    group = ready_group(cast, hadimulyo_barat)
    grant = draft_grant(cast, group)
    grant_services.grant_submit(grant=grant, by=cast.worker)
    step = Grant.workflow["approve"]
    stage = stage_of(group)
    assert (stage.next_step, stage.actor) == (step.hint_from(Grant.Status.SUBMITTED), step.actor)
    assert stage.next_step == "Supervisor menyetujui atau menolak bantuan."
    with translation.override("en"):
        english = stage_of(group)
        assert english.actor_label == "supervisor"
        assert english.next_step == "A supervisor approves or rejects the grant."
    assert english.tone == stage.tone == "warning"
