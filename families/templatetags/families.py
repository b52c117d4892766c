from django import template
from django.utils import timezone

from families import selectors

register = template.Library()


@register.inclusion_tag("families/_household_help.html", takes_context=True)
def household_help(context, participant):
    """The aid and follow-ups of a person's household, on the person's page."""
    user = context["request"].user
    if not user.has_perm("families.view_aid"):
        return {"shown": False}
    follow_ups = list(selectors.household_follow_ups(participant, user))
    today = timezone.localdate()
    for item in follow_ups:
        item.overdue = item.is_overdue(today)
    return {
        "shown": True,
        "participant": participant,
        "aid": selectors.household_aid(participant, user),
        "missing_aid": selectors.household_missing_aid(participant),
        "follow_ups": follow_ups,
        "perms": context["perms"],
    }
