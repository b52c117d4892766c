import pytest

from assessments import services
from assessments.selectors import group_stage
from participants import selectors
from participants import services as participant_services
from participants.models import Membership
from tests.assessments.helpers import reviewed_assessment, save_assessment, save_plan
from tests.conftest import fill_group
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def stage_of(group):
    annotated = (
        selectors.group_list().select_related("needs_assessment", "action_plan").get(pk=group.pk)
    )
    return group_stage(annotated)


def test_each_step_of_a_group_moves_it_to_the_next_stage(group, social_worker, supervisor):
    fill_group(group, 9)
    assert stage_of(group).number == 1
    assert "9 dari 10 anggota" in stage_of(group).next_step

    fill_group(group, 1)
    assert (stage_of(group).number, stage_of(group).label) == (2, "Asesmen kebutuhan")

    save_assessment(group)
    assert stage_of(group).number == 2
    services.assessment_submit(group=group, by=social_worker)
    assert stage_of(group).label == "Asesmen kebutuhan dikirim"

    services.assessment_return(assessment=group.needs_assessment, by=supervisor, note="Ulangi")
    assert "sesuai catatan supervisor" in stage_of(group).next_step

    services.assessment_submit(group=group, by=social_worker)
    services.assessment_review(assessment=group.needs_assessment, by=supervisor)
    assert stage_of(group).label == "Rencana tindak"

    save_plan(group)
    services.action_plan_submit(group=group, by=social_worker)
    assert stage_of(group).label == "Rencana tindak dikirim"

    services.action_plan_approve(plan=group.action_plan, by=supervisor)
    assert (stage_of(group).number, stage_of(group).label) == (6, "Rencana tindak disetujui")


def test_ten_members_without_officers_is_still_forming(group):

    for _ in range(10):
        participant_services.membership_add(
            group=group,
            participant=ParticipantFactory(kelurahan=group.kelurahan),
            role=Membership.Role.ANGGOTA,
        )
    assert stage_of(group).number == 1


def test_reviewed_assessment_helper_reaches_the_plan_stage(full_group, social_worker, supervisor):
    reviewed_assessment(full_group, social_worker, supervisor)
    assert stage_of(full_group).number == 4
