"""What stage a group has reached, and what comes next."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assessments.models import ActionPlan, NeedsAssessment
from participants.models import MAX_GROUP_MEMBERS


@dataclass(frozen=True)
class Stage:
    number: int
    label: str
    next_step: str


def related_or_none(group, name):
    """Return the group's assessment or plan, or None where it has none yet."""
    try:
        return getattr(group, name)
    except (NeedsAssessment.DoesNotExist, ActionPlan.DoesNotExist):
        return None


def group_stage(group) -> Stage:
    """Return the stage of a group annotated by `participants.selectors.group_list`."""
    assessment = related_or_none(group, "needs_assessment")
    plan = related_or_none(group, "action_plan")
    if group.member_count < MAX_GROUP_MEMBERS or group.officer_count < 3:
        return Stage(
            1,
            _("Forming the group"),
            _("Complete the group: %(count)d of 10 members, with a chair, secretary and treasurer.")
            % {"count": group.member_count},
        )
    if assessment is None or assessment.is_editable:
        next_step = (
            _("Correct the needs assessment as the supervisor asked, then submit it again.")
            if assessment and assessment.status == NeedsAssessment.Status.RETURNED
            else _("Record the participatory needs assessment and submit it.")
        )
        return Stage(2, _("Needs assessment"), next_step)
    if assessment.status == NeedsAssessment.Status.SUBMITTED:
        return Stage(
            3, _("Needs assessment submitted"), _("A supervisor reviews the needs assessment.")
        )
    if plan is None or plan.is_editable:
        next_step = (
            _("Correct the action plan as the supervisor asked, then submit it again.")
            if plan and plan.status == ActionPlan.Status.RETURNED
            else _("Draw up the action plan and budget (RAB) and submit it.")
        )
        return Stage(4, _("Action plan"), next_step)
    if plan.status == ActionPlan.Status.SUBMITTED:
        return Stage(5, _("Action plan submitted"), _("A supervisor approves the action plan."))
    return Stage(6, _("Action plan approved"), _("Prepare the business-capital grant proposal."))
