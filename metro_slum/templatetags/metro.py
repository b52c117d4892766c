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


@register.filter
def get_item(mapping, key):
    """A dictionary's value by a key the template holds: ``{{ lines|get_item:code }}``."""
    return (mapping or {}).get(key)


@register.inclusion_tag("assessments/_errors.html")
def error_summary(*forms, heading=""):
    """A refused form's errors at its top, each a link to its field: read first, focused first.
    A form that saves says "not saved yet"; a form that looks something up names its own
    `heading`."""
    from metro_slum.forms import error_links

    return {
        "errors": error_links(*(form for form in forms if form is not None and form.errors)),
        "heading": heading,
    }


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


@register.simple_tag(takes_context=True)
def offline_texts(context):
    """What static/js/offline.js says, in the page's language, with the addresses it uses."""
    from django.middleware.csrf import get_token
    from django.urls import reverse
    from django.utils.html import json_script
    from django.utils.translation import gettext as _

    request = context["request"]
    texts = {
        "user": request.user.pk,
        "csrf": get_token(request),
        "statusUrl": reverse("programme:offline_status"),
        "pagesUrl": reverse("programme:offline_pages"),
        "sendUrl": reverse("programme:offline_send"),
        "workerUrl": reverse("service_worker"),
        "offlinePage": reverse("programme:offline"),
        "loginUrl": reverse("login"),
        "waiting": _("{n} waiting"),
        "look": _("{n} to look at"),
        "queued": _(
            "No connection: kept on this phone. It is sent by itself when the connection returns."
        ),
        "queueLink": _("Sent from this phone"),
        "notSent": _(
            "No connection: this form was not sent and cannot wait on this phone. It stays "
            "filled in here; send it again when the connection returns."
        ),
        "draftKept": _(
            "No connection: not sent. What you typed stays on this phone as a draft; send it "
            "again when the connection returns."
        ),
        "copy": _("No connection: this page as this phone kept it on {at}."),
        "notImage": _(
            "This file is not a photo this phone can read (JPG or PNG). Choose the photo again."
        ),
        "noSpace": _(
            "Not enough space on this phone for this form ({need} MB). Send what waits or free "
            "some space, then try again. Nothing was kept."
        ),
        "lowSpace": _(
            "This phone is nearly out of space: less than {left} MB left for forms. Send what "
            "waits as soon as there is a connection."
        ),
        "login": _("Your session has ended. Log in again; what waits is then sent."),
        "loginLink": _("Log in"),
        "serverError": _("The office's server did not answer; what waits is sent later."),
        "sent": _("{n} sent from this phone and saved."),
        "expired": _(
            "The programme ended on {date}: this was not sent. Show it to your supervisor."
        ),
        "correcting": _("Correct this form and send it again. The server said:"),
        "correct": _("Correct and send again"),
        "compare": _("On the server now, and from this phone"),
        "field": _("Field"),
        "server": _("On the server"),
        "phone": _("From this phone"),
        "keepMine": _("Keep this phone's version"),
        "keepServer": _("Keep the server's version"),
        "serverKept": _("The server's version was kept; this phone's was not sent."),
        "sendNow": _("Send now"),
        "queuedAt": _("made {at}"),
        "answeredAt": _("answered {at}"),
        "space": _("The queue takes {used}; {left} free on this phone."),
        "pages": _("{n} pages kept to read without a connection, brought up to date {at}."),
        "noPages": _(
            "No pages are kept on this phone yet (a social worker's own kelurahan is kept)."
        ),
        "logoutWaiting": _(
            "{n} form(s) on this phone have not been saved on the server. Logging out deletes "
            "them. Log out anyway?"
        ),
        "states": {
            "waiting": _("Waiting"),
            "saved": _("Saved"),
            "refused": _("Refused"),
            "conflict": _("Conflict"),
            "expired": _("Not sent"),
            "dropped": _("Server's kept"),
        },
    }
    return json_script(texts, "offline-texts")
