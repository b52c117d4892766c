from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from grants import selectors
from grants.models import Grant
from metro_slum.formatting import rupiah

INTERVAL = selectors.MONITORING_INTERVAL_DAYS
BADGE_COLOURS = {
    Grant.Status.DRAFT: "grey",
    Grant.Status.SUBMITTED: "amber",
    Grant.Status.APPROVED: "blue",
    Grant.Status.REJECTED: "red",
    Grant.Status.DISBURSED: "violet",
    Grant.Status.ACCOUNTED: "green",
    Grant.Status.CLOSED: "dark",
}


def money(value):
    """Rupiah that never breaks across lines in a list column."""
    return format_html('<span class="ms-nowrap">{}</span>', rupiah(value))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    # A section with nothing in it says so, instead of showing a table's bare headers.
    template = "admin/grants/readonly_tabular.html"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DisbursementColumns:
    """Amount in rupiah and a link to the printable handover minutes of a tranche."""

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return rupiah(obj.amount)

    @admin.display(description=_("BAST"))
    def handover(self, obj):
        url = reverse("grants:handover", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("print"))
