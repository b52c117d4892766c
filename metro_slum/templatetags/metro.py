from django import template

from metro_slum.formatting import mask_identity_number
from metro_slum.formatting import rupiah as format_rupiah

register = template.Library()


@register.filter
def rupiah(value):
    return format_rupiah(value)


@register.simple_tag(takes_context=True)
def identity(context, value):
    """Show a NIK or No. KK in full only to users allowed to see it."""
    user = context["request"].user
    if user.has_perm("participants.view_identity_numbers"):
        return value
    return mask_identity_number(value)
