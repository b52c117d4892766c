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


@register.inclusion_tag("assessments/_errors.html")
def error_summary(*forms):
    """A refused form's errors at its top, each a link to its field: read first, focused first."""
    from metro_slum.forms import error_links

    return {"errors": error_links(*(form for form in forms if form is not None and form.errors))}


@register.filter
def allows(record, step: str) -> bool:
    """Whether the record's state table lets the step start from where it is now:
    ``{% if grant|allows:"add_spending" %}``; False where there is no record yet (a plan not
    started). Who may take it is the view's to say."""
    return record is not None and record.workflow.allows(record, step)
