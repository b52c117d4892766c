from django import template

from programme import queue, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def work_queue(context):
    """The work that waits for the current user, counted (for the admin index)."""
    user = context["request"].user
    return queue.work_for(user, selectors.Scope(user).lean_rows())
