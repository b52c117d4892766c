import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import ActionPlan, NeedsAssessment, Problem
from participants import services as participant_services
from tests.assessments.helpers import (
    complete_profiles,
    members_of,
    reviewed_assessment,
    save_assessment,
    save_plan,
)
from tests.conftest import fill_group
from tests.factories import GroupFactory
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db


def test_draft_is_saved_with_problems_in_rank_order_and_a_profile_per_member(full_group):
    save_assessment(
        full_group,
        problems=[
            services.ProblemInput(2, Problem.Category.HEALTH, "BPJS", 3),
            services.ProblemInput(1, Problem.Category.ECONOMIC, "Modal", 8),
        ],
    )
    assessment = NeedsAssessment.objects.get(group=full_group)
    assert assessment.status == NeedsAssessment.Status.DRAFT
    assert list(assessment.problems.values_list("rank", "description")) == [
        (1, "Modal"),
        (2, "BPJS"),
    ]
    assert assessment.profiles.count() == 10


def test_saving_again_replaces_problems_and_profiles(full_group):
    save_assessment(full_group)
    save_assessment(
        full_group,
        problems=[services.ProblemInput(1, Problem.Category.SOCIAL, "Baru", 1)],
        venue="Rumah Ketua",
    )
    assessment = NeedsAssessment.objects.get(group=full_group)
    assert assessment.venue == "Rumah Ketua"
    assert list(assessment.problems.values_list("description", flat=True)) == ["Baru"]
    assert assessment.profiles.count() == 10


def test_two_problems_with_one_rank_are_refused_and_nothing_saved(full_group):
    with pytest.raises(ValidationError) as caught:
        save_assessment(
            full_group,
            problems=[
                services.ProblemInput(1, Problem.Category.HEALTH, "A"),
                services.ProblemInput(1, Problem.Category.ECONOMIC, "B"),
            ],
        )
    assert messages_of(caught) == [
        "Peringkat 1 dipakai lebih dari satu masalah. Beri setiap masalah peringkatnya sendiri."
    ]
    assert not NeedsAssessment.objects.exists()


def test_end_before_start_is_refused(full_group):
    with pytest.raises(ValidationError) as caught:
        save_assessment(full_group, end_date=datetime.date(2026, 8, 6))
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in messages_of(caught)


def test_submit_lists_everything_missing(full_group, social_worker):
    members = members_of(full_group)
    save_assessment(
        full_group,
        problems=[],
        profiles=complete_profiles(full_group)[1:],
        venue="",
        chosen_business="",
        chosen_business_reason="",
    )
    with pytest.raises(ValidationError) as caught:
        services.assessment_submit(group=full_group, by=social_worker)
    assert messages_of(caught) == [
        "Isi tempat asesmen dilaksanakan.",
        "Catat paling sedikit satu masalah yang disebut kelompok.",
        f"{members[0].participant.full_name}: isi minat dan keahlian, atau hilangkan centang "
        "'hadir' bila tidak hadir.",
        "Pilih usaha yang diputuskan kelompok.",
        "Tuliskan alasan kelompok memilih usaha ini.",
    ]
    assert NeedsAssessment.objects.get().status == NeedsAssessment.Status.DRAFT


def test_absent_member_needs_no_profile(full_group, social_worker):
    profiles = complete_profiles(full_group)
    absent = profiles[-1].membership
    profiles[-1] = services.ProfileInput(membership=absent, attended=False)
    save_assessment(full_group, profiles=profiles)

    submitted = services.assessment_submit(group=full_group, by=social_worker)

    assert submitted.status == NeedsAssessment.Status.SUBMITTED
    assert submitted.submitted_by == social_worker


def test_submitted_assessment_is_read_only_until_returned(full_group, social_worker, supervisor):
    save_assessment(full_group)
    services.assessment_submit(group=full_group, by=social_worker)

    with pytest.raises(ValidationError) as caught:
        save_assessment(full_group, venue="Diubah")
    assert "tidak dapat diubah lagi" in messages_of(caught)[0]

    services.assessment_return(
        assessment=full_group.needs_assessment, by=supervisor, note="Lengkapi alasan."
    )
    save_assessment(full_group, venue="Diubah")
    assert NeedsAssessment.objects.get().venue == "Diubah"


def test_only_a_supervisor_reviews(full_group, social_worker):
    save_assessment(full_group)
    services.assessment_submit(group=full_group, by=social_worker)
    with pytest.raises(PermissionDenied):
        services.assessment_review(assessment=full_group.needs_assessment, by=social_worker)


def test_reviewing_twice_is_refused_with_a_message(full_group, social_worker, supervisor):
    reviewed_assessment(full_group, social_worker, supervisor)
    with pytest.raises(ValidationError) as caught:
        services.assessment_review(assessment=full_group.needs_assessment, by=supervisor)
    assert "tidak lagi menunggu tinjauan (sekarang: Sudah ditinjau)" in messages_of(caught)[0]


def test_returning_needs_a_note(full_group, social_worker, supervisor):
    save_assessment(full_group)
    services.assessment_submit(group=full_group, by=social_worker)
    with pytest.raises(ValidationError) as caught:
        services.assessment_return(assessment=full_group.needs_assessment, by=supervisor, note=" ")
    assert messages_of(caught) == [
        "Tulis catatan tentang apa yang harus diperbaiki sebelum mengembalikannya."
    ]
    assert NeedsAssessment.objects.get().status == NeedsAssessment.Status.SUBMITTED


def test_plan_over_the_ceiling_is_refused_and_nothing_saved(full_group):
    lines = [
        services.BudgetLineInput("Oven", Decimal(2), "unit", Decimal(8_000_000)),
        services.BudgetLineInput("Bahan", Decimal("2.5"), "paket", Decimal(1_700_000)),
    ]
    with pytest.raises(ValidationError) as caught:
        save_plan(full_group, lines=lines)
    assert messages_of(caught) == [
        "Total RAB sebesar Rp 20.250.000 melebihi plafon bantuan per kelompok program ini "
        "(Rp 20.000.000). Kurangi Rp 250.000."
    ]
    assert not ActionPlan.objects.exists()


def test_plan_lines_are_totalled_on_the_server(full_group):
    plan = save_plan(
        full_group,
        lines=[
            services.BudgetLineInput("Botol", Decimal(2000), "buah", Decimal(1500)),
            services.BudgetLineInput("Gula", Decimal("2.5"), "kg", Decimal(15_001)),
        ],
    )
    assert list(plan.budget_lines.values_list("line_total", flat=True)) == [
        Decimal(3_000_000),
        Decimal(37_503),  # 37,502.5 rounded half up
    ]
    assert services.budget_total(plan.budget_lines.all()) == Decimal(3_037_503)


def test_plan_cannot_be_submitted_before_the_assessment_is_reviewed(full_group, social_worker):
    save_assessment(full_group)
    save_plan(full_group)
    with pytest.raises(ValidationError) as caught:
        services.action_plan_submit(group=full_group, by=social_worker)
    assert messages_of(caught) == [
        "Asesmen kebutuhan harus sudah ditinjau supervisor sebelum rencana tindak dapat dikirim."
    ]


def test_submitted_plan_makes_the_chosen_business_the_groups(full_group, social_worker, supervisor):
    full_group.business_type = ""
    participant_services.group_save(group=full_group)
    reviewed_assessment(full_group, social_worker, supervisor)
    save_plan(full_group)

    plan = services.action_plan_submit(group=full_group, by=social_worker)

    full_group.refresh_from_db()
    assert plan.status == ActionPlan.Status.SUBMITTED
    assert full_group.business_type == full_group.BusinessType.JAMU


def test_supervisor_approves_a_submitted_plan_once(full_group, social_worker, supervisor):
    reviewed_assessment(full_group, social_worker, supervisor)
    save_plan(full_group)
    services.action_plan_submit(group=full_group, by=social_worker)

    approved = services.action_plan_approve(plan=full_group.action_plan, by=supervisor)

    assert approved.status == ActionPlan.Status.APPROVED
    assert approved.reviewed_by == supervisor
    with pytest.raises(ValidationError):
        services.action_plan_approve(plan=full_group.action_plan, by=supervisor)


def test_returned_plan_can_be_corrected(full_group, social_worker, supervisor):
    reviewed_assessment(full_group, social_worker, supervisor)
    save_plan(full_group)
    services.action_plan_submit(group=full_group, by=social_worker)
    services.action_plan_return(plan=full_group.action_plan, by=supervisor, note="Rinci RAB")

    save_plan(full_group, goal="Tujuan baru")

    plan = ActionPlan.objects.get()
    assert plan.status == ActionPlan.Status.RETURNED
    assert plan.goal == "Tujuan baru"
    assert plan.review_note == "Rinci RAB"


def test_activity_responsible_must_be_a_member_of_the_group(full_group, hadimulyo_barat):

    stranger = fill_group(GroupFactory(kelurahan=hadimulyo_barat), 1)[0]
    with pytest.raises(ValidationError) as caught:
        services.action_plan_save(
            group=full_group,
            goal="x",
            activities=[
                services.ActivityInput(
                    "x", stranger, datetime.date(2026, 9, 1), datetime.date(2026, 9, 2)
                )
            ],
            budget_lines=[],
        )
    assert caught.value.error_list[0].code == "member_not_in_group"
