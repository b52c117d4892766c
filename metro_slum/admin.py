"""What several admin pages share, and the admin page of the records every app shares (the
export log)."""

import json

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection, models
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_noop

from metro_slum.models import ExportRecord, OfflineSubmission
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


# The colours a status badge can take (static/css/admin.css: .ms-badge-<tone>); classes, not
# inline styles, so that the Content-Security-Policy allows no inline style.
BADGE_TONES = ("grey", "amber", "blue", "red", "violet", "green", "dark")


def badge(label, tone: str | None = "grey"):
    """A status as a small coloured label that wraps inside a narrow column."""
    return format_html(
        '<span class="ms-badge ms-badge-{}">{}</span>',
        tone if tone in BADGE_TONES else "grey",
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


class EstimatedCountPaginator(Paginator):
    """A paginator that does not count tens of thousands of rows for every page.

    On PostgreSQL two small questions are asked, whatever the list's size (so a page asks as
    often with a thousand rows as with a million): the rows counted up to EXACT_BELOW, which reads
    at most that many index entries, and the planner's estimate (EXPLAIN, from the statistics
    autovacuum and ANALYZE keep). Below EXACT_BELOW the count is exact; above, the estimate is the
    count ("about 1.000.000"). SQLite counts exactly.
    """

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None or connection.vendor != "postgresql":
            return super().count
        rows = self.object_list.order_by().values("pk")
        counted = rows[: self.EXACT_BELOW].count()
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if counted < self.EXACT_BELOW:
            return counted
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(int(plan[0]["Plan"]["Plan Rows"]), counted)


class LargeTableAdmin:
    """A changelist of a table that grows with the programme: no exact count of the whole table
    per page (see EstimatedCountPaginator)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False


@admin.register(OfflineSubmission)
class OfflineSubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Forms sent from phones' queues: which arrived, from whom, when, and what they became."""

    list_display = ("saved_at", "user", "url", "message")
    list_select_related = ("user",)
    search_fields = ("user__username", "url", "key")
    date_hierarchy = "saved_at"


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The export log: read only, for whoever audits who took which list out."""

    list_display = ("created_at", "user", "kind", "scope", "file_format", "row_count", "masked")
    list_filter = ("kind", "file_format", "masked")
    list_select_related = ("user",)
    search_fields = ("user__username", "scope")
    date_hierarchy = "created_at"
