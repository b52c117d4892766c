from django import template

from metro_slum.offline import COPY_HEADER
from metro_slum.roles import may_see_full_numbers
from participants.identity import mask, shown
from participants.models import MAX_GROUP_MEMBERS

register = template.Library()


@register.simple_tag
def group_size():
    """The number of members that makes a group complete, for "7/10" in pages."""
    return MAX_GROUP_MEMBERS


@register.simple_tag(takes_context=True)
def identity(context, value):
    """Show a NIK or No. KK in full only to users allowed to see it, and never in a page a
    phone keeps to read offline."""
    request = context["request"]
    if request.headers.get(COPY_HEADER):
        return mask(value)
    return shown(request.user, value)


@register.simple_tag(takes_context=True)
def sees_full_numbers(context):
    return may_see_full_numbers(context["request"].user)


@register.filter
def masked(value):
    """A NIK or No. KK in a list: masked for everyone; it is read whole on the person's page."""
    return mask(value)


@register.filter
def grouped(value):
    """A phone or bank account stored as digits, shown in groups of four: 0812 3456 7890."""
    from participants.fields import grouped as group_digits

    return group_digits(value) if value else ""


@register.filter
def call_link(value):
    """A number as a link a phone calls with one tap (tel:+62…), "" if it is not valid."""
    from metro_slum.phones import call_link as link

    return link(value) if value else ""


@register.inclusion_tag("participants/_rank.html")
def rank(reading):
    """A household's DTSEN reading as the pages show it: "Desil 2 (as of 15/08/2026)", marked
    when stale, "no reading yet" without one."""
    return {"reading": reading}
