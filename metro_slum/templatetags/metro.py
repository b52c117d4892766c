from django import template

from metro_slum.formatting import quantity as format_quantity
from metro_slum.formatting import rupiah as format_rupiah

register = template.Library()


@register.filter
def rupiah(value):
    return format_rupiah(value)


@register.filter
def quantity(value):
    return format_quantity(value)
