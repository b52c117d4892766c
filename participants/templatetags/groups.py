from django import template

from participants.models import MAX_GROUP_MEMBERS

register = template.Library()


@register.simple_tag
def group_size():
    """The number of members that makes a group complete, for "7/10" in pages."""
    return MAX_GROUP_MEMBERS
