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


@register.simple_tag(takes_context=True)
def complaint_box(context):
    """Where a member or resident complains (a cut, a fee asked, aid not received): the public
    complaint page's short address and its QR code, printed on the group's documents."""
    import segno
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _

    from metro_slum.links import complaint_page

    url = complaint_page(context.get("request"))
    shown = url.split("://", 1)[-1]
    svg = segno.make(url, error="m").svg_inline(scale=2, border=1, omitsize=False)
    return format_html(
        '<div class="aduan" id="complaint-box"><span class="qr" role="img" aria-label="{}">{}'
        "</span><span>{} <strong>{}</strong></span></div>",
        _("QR code of the complaint page"),
        mark_safe(svg),  # noqa: S308 - segno's own SVG of our own address
        _(
            "Was the aid cut, did someone ask for a fee, or did it not arrive? Tell the office "
            "(you may stay anonymous):"
        ),
        shown,
    )
