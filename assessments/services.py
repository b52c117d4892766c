"""Writes for the needs assessment and the action plan, and every rule they obey.

The portal's pages, the admin and the demo loader all call these functions. Status changes lock the
row first, so a double click or two supervisors at once make exactly one change.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    ActionPlan,
    Activity,
    BudgetLine,
    MemberProfile,
    NeedsAssessment,
    Problem,
    line_total,
)
from metro_slum import chronology, figures, notices
from metro_slum.offline import Conflict
from participants import services as participant_services
from participants.models import Membership, ParticipantGroup
from participants.selectors import incomplete_group_message, kelurahan_workers


@dataclass(frozen=True)
class ProblemInput:
    rank: int
    category: str
    description: str
    votes: int = 0


@dataclass(frozen=True)
class ProfileInput:
    membership: Membership
    attended: bool = True
    interests: str = ""
    skills: str = ""
    business_experience: str = ""
    current_income: Decimal | None = None
    preferred_business: str = ""
    willing_to_run_business: bool = False


@dataclass(frozen=True)
class ActivityInput:
    description: str
    responsible: Membership
    start_date: datetime.date
    end_date: datetime.date


@dataclass(frozen=True)
class BudgetLineInput:
    item: str
    quantity: Decimal
    unit: str
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return line_total(self.quantity, self.unit_price)


def _check_members_of(group: ParticipantGroup, memberships) -> None:
    if any(m.group_id != group.pk for m in memberships):
        raise ValidationError(
            _("A member named here is not in this group. Reload the page."),
            code="member_not_in_group",
        )


def _same_version(record, version: int | None) -> None:
    """Refuse a save made from an older version of the record; count this save as a new one."""
    if version is not None and record.version != version:
        raise Conflict(record)
    record.version += 1


def _locked_assessment(group: ParticipantGroup) -> NeedsAssessment | None:
    return (
        NeedsAssessment.objects.select_for_update()
        .select_related("group__program", "group__kelurahan")
        .filter(group=group)
        .first()
    )


@transaction.atomic
def assessment_save(
    *,
    group: ParticipantGroup,
    fields: dict,
    problems: list[ProblemInput],
    profiles: list[ProfileInput],
    by=None,
    version: int | None = None,
) -> NeedsAssessment:
    """Store the whole assessment page as a draft (no completeness check yet); from `version`,
    when given, as the page was opened (a later save in between is a `Conflict`)."""
    assessment = _locked_assessment(group) or NeedsAssessment(group=group)
    if assessment.pk:
        NeedsAssessment.workflow.expect(assessment, "save")
        _same_version(assessment, version)
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.full_clean()
    chronology.require(assessment, listed=True)
    assessment.save()

    repeated = sorted(
        rank for rank, count in Counter(p.rank for p in problems).items() if count > 1
    )
    if repeated:
        raise ValidationError(
            _("Rank %(rank)s is given to more than one problem. Give each problem its own rank.")
            % {"rank": repeated[0]},
            code="rank_repeated",
        )
    _check_members_of(group, [p.membership for p in profiles])

    assessment.problems.all().delete()
    new_problems = [Problem(assessment=assessment, **vars(p)) for p in problems]
    for problem in new_problems:
        problem.full_clean(exclude=["assessment"])
    Problem.objects.bulk_create(new_problems)

    assessment.profiles.all().delete()
    new_profiles = [MemberProfile(assessment=assessment, **vars(p)) for p in profiles]
    for profile in new_profiles:
        profile.full_clean(exclude=["assessment", "membership"])
    MemberProfile.objects.bulk_create(new_profiles)
    return assessment


def _field(message, name: str) -> ValidationError:
    """A completeness message that names the field it is about, so that a page can mark it."""
    return ValidationError(message, code="incomplete", params={"field": name})


def assessment_completeness_errors(assessment: NeedsAssessment) -> list[ValidationError]:
    """Return what is still missing before the assessment can be submitted."""
    errors = []
    incomplete = incomplete_group_message(assessment.group)
    if incomplete:
        errors.append(incomplete)
    if not (assessment.start_date and assessment.end_date):
        errors.append(_field(_("Fill in the start and end dates of the assessment."), "start_date"))
    elif assessment.end_date < assessment.start_date:
        errors.append(_field(_("The end date cannot be before the start date."), "end_date"))
    errors += chronology.messages(assessment)
    if not assessment.venue.strip():
        errors.append(_field(_("Fill in where the assessment was held."), "venue"))
    if not assessment.problems.exists():
        errors.append(_("Record at least one problem the group named."))
    members = list(assessment.group.memberships.select_related("participant"))
    profiles = {p.membership_id: p for p in assessment.profiles.all()}
    for membership in members:
        profile = profiles.get(membership.pk)
        if profile is None or (profile.attended and not profile.is_profiled):
            # The membership goes with the message, so that a page can point at the member.
            errors.append(
                ValidationError(
                    _(
                        "%(name)s: fill in interests and skills, or untick 'present' if they "
                        "were absent."
                    ),
                    code="member_unprofiled",
                    params={"name": membership.participant.full_name, "membership": membership.pk},
                )
            )
    if not assessment.chosen_business:
        errors.append(_field(_("Choose the business the group decided on."), "chosen_business"))
    elif (
        assessment.chosen_business == ParticipantGroup.BusinessType.OTHER
        and not assessment.chosen_business_other.strip()
    ):
        errors.append(
            _field(_("Describe the business when the type is 'Other'."), "chosen_business_other")
        )
    if not assessment.chosen_business_reason.strip():
        errors.append(
            _field(_("Write down why the group chose this business."), "chosen_business_reason")
        )
    return [
        error if isinstance(error, ValidationError) else ValidationError(error, code="incomplete")
        for error in errors
    ]


@transaction.atomic
def assessment_submit(*, group: ParticipantGroup, by) -> NeedsAssessment:
    NeedsAssessment.workflow.require(by, "submit")
    assessment = _locked_assessment(group)
    if assessment is None:
        raise ValidationError(_("Save the assessment before submitting it."), code="missing")
    NeedsAssessment.workflow.expect(assessment, "submit")
    errors = assessment_completeness_errors(assessment)
    if errors:
        raise ValidationError(errors)
    assessment.status = NeedsAssessment.workflow["submit"].target
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.review_note = ""
    assessment.save()
    return assessment


def _decide(record, *, by, step: str, note: str, note_required=False):
    """Record a supervisor's decision on a submitted record, once.

    The row is locked and its status read again inside the lock: of a double click, or of two
    supervisors deciding at the same moment, the second is refused and nothing is written twice.
    """
    workflow = type(record).workflow
    workflow.require(by, step)
    if note_required:
        note = _require_note(note)
    record = type(record).objects.select_for_update().select_related("group").get(pk=record.pk)
    record.status = workflow.expect(record, step).target
    record.reviewed_at, record.reviewed_by = timezone.now(), by
    record.review_note = note.strip()
    record.full_clean()
    record.save()
    return record


def _require_note(note: str) -> str:
    if not note or not note.strip():
        raise ValidationError(
            _("Write a note saying what must be corrected before returning it."),
            code="note_required",
        )
    return note


def _tell_returned(record, *, page: str, what) -> None:
    """The kelurahan's social workers are told a record came back, with the note."""
    group = record.group
    notices.notify(
        kelurahan_workers(group.kelurahan_id),
        kind="returned",
        text=lambda: (
            _("%(what)s of %(group)s was returned: %(note)s")
            % {"what": what(), "group": group.name, "note": record.review_note[:150]}
        ),
        url=reverse(page, kwargs={"group_pk": group.pk}),
    )


@transaction.atomic
def assessment_review(*, assessment: NeedsAssessment, by, note: str = "") -> NeedsAssessment:
    """Mark a submitted assessment as reviewed: the group may go on to its action plan."""
    return _decide(assessment, by=by, step="review", note=note)


@transaction.atomic
def assessment_return(*, assessment: NeedsAssessment, by, note: str) -> NeedsAssessment:
    """Send a submitted assessment back to the social worker with a note (they are told)."""
    assessment = _decide(assessment, by=by, step="return", note=note, note_required=True)
    _tell_returned(
        assessment, page="assessments:assessment", what=lambda: _("The needs assessment")
    )
    return assessment


def _locked_plan(group: ParticipantGroup) -> ActionPlan | None:
    return (
        ActionPlan.objects.select_for_update()
        .select_related("group__program")
        .filter(group=group)
        .first()
    )


def budget_total(lines) -> Decimal:
    return sum(
        (line.total if isinstance(line, BudgetLineInput) else line.line_total for line in lines),
        Decimal(0),
    )


def _check_budget(group: ParticipantGroup, lines) -> None:
    participant_services.program_check_grant_ceiling(
        program=group.program, amount=budget_total(lines), what=_("The budget plan total")
    )


@transaction.atomic
def action_plan_save(
    *,
    group: ParticipantGroup,
    goal: str,
    activities: list[ActivityInput],
    budget_lines: list[BudgetLineInput],
    by=None,
    version: int | None = None,
) -> ActionPlan:
    """Store the action plan page as a draft; the budget may never exceed the grant ceiling.
    From `version`, when given, as the page was opened (a later save is a `Conflict`)."""
    plan = _locked_plan(group) or ActionPlan(group=group)
    if plan.pk:
        ActionPlan.workflow.expect(plan, "save")
        _same_version(plan, version)
    plan.goal = goal
    plan.full_clean()
    _check_members_of(group, [a.responsible for a in activities])
    _check_budget(group, budget_lines)
    plan.save()

    plan.activities.all().delete()
    new_activities = [Activity(plan=plan, **vars(a)) for a in activities]
    for activity in new_activities:
        activity.full_clean(exclude=["plan", "responsible"])
        refused = chronology.messages(activity)
        if refused:
            raise ValidationError(
                [f"{activity.description}: {text}" for text in refused], code="activity_dates"
            )
    Activity.objects.bulk_create(new_activities)

    plan.budget_lines.all().delete()
    new_lines = [
        BudgetLine(plan=plan, line_total=line.total, **vars(line)) for line in budget_lines
    ]
    for line in new_lines:
        line.full_clean(exclude=["plan"])
    BudgetLine.objects.bulk_create(new_lines)
    # A grant still in draft asks for what the RAB adds up to.
    figures.changed(plans=[plan.pk])
    return plan


@transaction.atomic
def action_plan_submit(*, group: ParticipantGroup, by) -> ActionPlan:
    """Send the plan for approval; the group's business becomes the one it chose."""
    ActionPlan.workflow.require(by, "submit")
    plan = _locked_plan(group)
    if plan is None:
        raise ValidationError(_("Save the action plan before submitting it."), code="missing")
    ActionPlan.workflow.expect(plan, "submit")
    assessment = NeedsAssessment.objects.filter(group=group).first()
    errors = []
    if assessment is None or not assessment.is_reviewed:
        errors.append(
            _(
                "The needs assessment must be reviewed by a supervisor before the action plan "
                "can be submitted."
            )
        )
    if not plan.goal.strip():
        errors.append(_field(_("Write the goal of the plan."), "goal"))
    if not plan.activities.exists():
        errors.append(_("Add at least one activity."))
    lines = list(plan.budget_lines.all())
    if not lines:
        errors.append(_("Add at least one budget line (RAB)."))
    if errors:
        raise ValidationError([ValidationError(e, code="incomplete") for e in errors])
    _check_budget(group, lines)

    group = plan.group
    group.business_type = assessment.chosen_business
    group.business_type_other = assessment.chosen_business_other
    participant_services.group_save(group=group)

    plan.status = ActionPlan.workflow["submit"].target
    plan.submitted_at, plan.submitted_by = timezone.now(), by
    plan.review_note = ""
    plan.save()
    return plan


@transaction.atomic
def action_plan_approve(*, plan: ActionPlan, by, note: str = "") -> ActionPlan:
    return _decide(plan, by=by, step="approve", note=note)


@transaction.atomic
def action_plan_return(*, plan: ActionPlan, by, note: str) -> ActionPlan:
    plan = _decide(plan, by=by, step="return", note=note, note_required=True)
    _tell_returned(plan, page="assessments:plan", what=lambda: _("The action plan"))
    return plan
