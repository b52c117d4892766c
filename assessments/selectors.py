"""Reads of the assessment stage that other pages need."""

from assessments.models import ActionPlan, NeedsAssessment


def related_or_none(group, name):
    """Return the group's assessment or plan, or None where it has none yet."""
    try:
        return getattr(group, name)
    except (NeedsAssessment.DoesNotExist, ActionPlan.DoesNotExist):
        return None
