"""What several admin pages share."""

import json

from django.core.paginator import Paginator
from django.db import connection, models
from django.utils.functional import cached_property
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


class EstimatedCountPaginator(Paginator):
    """A paginator that does not count tens of thousands of rows for every page.

    On PostgreSQL the planner's estimate of the rows is asked first (EXPLAIN, from the statistics
    autovacuum and ANALYZE keep); where it says more than EXACT_BELOW rows, that estimate is the
    count ("about 1.000.000": page links stay right to within the estimate's error); smaller lists
    are counted exactly, as is everything on SQLite.
    """

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and connection.vendor == "postgresql":
            sql, params = self.object_list.order_by().values("pk").query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            estimate = int(plan[0]["Plan"]["Plan Rows"])
            if estimate >= self.EXACT_BELOW:
                return estimate
        return super().count


class LargeTableAdmin:
    """A changelist of a table that grows with the programme: no exact count of the whole table
    per page (see EstimatedCountPaginator)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
