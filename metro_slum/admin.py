"""What several admin pages share."""

from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_noop

from metro_slum.widgets import RupiahInput


class ReadOnlyAdminMixin:
    """A record that is read in admin and changed only through its services (or not at all)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def group_place(group):
    """A group's name with its kelurahan and kecamatan below it: one narrow list column."""
    return format_html(
        "{}<br><small>{}, {}</small>",
        group.name,
        group.kelurahan.name,
        group.kelurahan.kecamatan.name,
    )


def badge(label, colour: str = "#6c757d"):
    """A status as a small coloured label that wraps inside a narrow column."""
    return format_html(
        '<span style="background:{};color:#fff;padding:2px 8px;border-radius:10px;'
        'display:inline-block;max-width:11em">{}</span>',
        colour,
        label,
    )


# Django's own words that the office reads differently; the project's catalogue (locale/) comes
# before Django's. Django's Indonesian "Buka" (open) for the action button reads as opening the
# records: here it is "Jalankan" (run).
DJANGO_WORDING = [gettext_noop("Go")]


class AmountsInRupiah:
    """An admin whose money fields echo what is typed as "Rp 20.000.000" (page.js).

    Only for models whose decimal fields are all amounts of money.
    """

    formfield_overrides = {models.DecimalField: {"widget": RupiahInput}}

    class Media:
        js = ("js/page.js",)
