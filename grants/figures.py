"""The grants' figures of each programme and kelurahan, kept beside the grants.

`place_figures_refresh` recounts one (programme, kelurahan) from the grants, spending lines and
visits themselves, under a lock on its row, in the transaction of the change; the dashboards sum
the few rows of the places they show (`figures_sum`) instead of reading a hundred thousand grants.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as installed_apps
from django.db import transaction
from django.db.models import Count, Q, Sum


def monthly_revenue(visits) -> dict[str, Decimal]:
    """Each month's total revenue of the businesses visited in it ("YYYY-MM" → rupiah), from
    (visit date, grant, revenue) in visit order: a business visited twice in a month counts
    once, with its later visit."""
    latest: dict[tuple, Decimal] = {}
    for visit_date, grant_id, revenue in visits:
        latest[(visit_date.strftime("%Y-%m"), grant_id)] = revenue
    months: dict[str, Decimal] = defaultdict(Decimal)
    for (month, _grant), revenue in latest.items():
        months[month] += revenue
    return dict(months)


_pending = threading.local()


@contextmanager
def places_recounted_once():
    """Within this block each place a change touches is recounted once, on the way out, still in
    the caller's transaction: for work that changes many grants of one place at once (a bulk
    write), which would otherwise recount the place after each grant."""
    if getattr(_pending, "places", None) is not None:
        yield  # the outer block recounts
        return
    _pending.places = {}
    try:
        yield
        places = _pending.places
    finally:
        _pending.places = None
    for place, after_delete in sorted(places.items()):
        place_figures_refresh(*place, after_delete=after_delete)


def place_figures_refresh(
    program_id, kelurahan_id, apps=installed_apps, *, after_delete: bool = False
) -> None:
    """Recount the grant figures of one programme's groups in one kelurahan, from the data.

    The row is locked before the grants are read, so two changes in the same place at once are
    counted one after the other: the second reads the first's rows once it has committed.
    `apps`: the models to read (a migration passes its own). `after_delete`: only an existing
    row is recounted (a deletion never starts a place, and may be deleting its programme).
    """
    pending = getattr(_pending, "places", None)
    if pending is not None and apps is installed_apps:
        place = (program_id, kelurahan_id)
        pending[place] = pending.get(place, True) and after_delete
        return
    figures_model = apps.get_model("grants", "PlaceFigures")
    grant_model = apps.get_model("grants", "Grant")
    with transaction.atomic():
        if not after_delete:
            figures_model.objects.bulk_create(
                [figures_model(program_id=program_id, kelurahan_id=kelurahan_id)],
                ignore_conflicts=True,
            )
        figures = (
            figures_model.objects.select_for_update()
            .filter(program_id=program_id, kelurahan_id=kelurahan_id)
            .first()
        )
        if figures is None:
            return
        grants = grant_model.objects.filter(
            group__program_id=program_id, group__kelurahan_id=kelurahan_id
        )
        rows = (
            grants.order_by()
            .values_list("status", "last_visit_status")
            .annotate(
                n=Count("pk"),
                requested=Sum("amount_requested"),
                approved=Sum("amount_approved"),
                disbursed=Sum("disbursed_amount"),
                funded=Count("pk", filter=Q(disbursed_amount__gt=0)),
            )
            .order_by("status", "last_visit_status")
        )
        figures.grants = [
            [status, visit, n, int(requested or 0), int(approved or 0), int(disbursed or 0), funded]
            for status, visit, n, requested, approved, disbursed, funded in rows
        ]
        spending = apps.get_model("grants", "SpendingLine").objects.filter(grant__in=grants)
        figures.accounted = spending.aggregate(total=Sum("actual_amount"))["total"] or 0
        visits = (
            apps.get_model("grants", "MonitoringVisit")
            .objects.filter(grant__in=grants)
            .order_by("visit_date", "pk")
            .values_list("visit_date", "grant_id", "monthly_revenue")
        )
        figures.revenue = {
            month: int(total) for month, total in sorted(monthly_revenue(visits).items())
        }
        figures.save(update_fields=["grants", "accounted", "revenue"])


def place_figures_rebuild(apps=installed_apps) -> int:
    """Recount every place that has groups and drop the rows of places that have none; return
    how many places were recounted (after data written in bulk, or to check nothing drifted)."""
    groups = apps.get_model("participants", "ParticipantGroup").objects.order_by()
    places = set(groups.values_list("program_id", "kelurahan_id"))
    figures_model = apps.get_model("grants", "PlaceFigures")
    kept = figures_model.objects.values_list("pk", "program_id", "kelurahan_id")
    figures_model.objects.filter(
        pk__in=[pk for pk, *place in kept if tuple(place) not in places]
    ).delete()
    for program_id, kelurahan_id in sorted(places):
        place_figures_refresh(program_id, kelurahan_id, apps)
    return len(places)


def group_place(group_id):
    """(programme, kelurahan) of a group, or None once the group is gone."""
    from participants.models import ParticipantGroup

    return (
        ParticipantGroup.objects.filter(pk=group_id)
        .values_list("program_id", "kelurahan_id")
        .first()
    )


def grant_place_follow(sender, instance, created=None, **kwargs) -> None:
    """post_save/post_delete of a grant: its place's figures follow."""
    place = group_place(instance.group_id)
    if place is not None:
        place_figures_refresh(*place, after_delete=created is None)


def spending_place_follow(sender, instance, created=None, **kwargs) -> None:
    """post_save/post_delete of a spending line: what its place accounted for follows."""
    from grants.models import Grant

    group_id = Grant.objects.filter(pk=instance.grant_id).values_list("group_id", flat=True)
    place = group_place(group_id.first())
    if place is not None:
        place_figures_refresh(*place, after_delete=created is None)


def grant_figures_follow(grant_ids) -> None:
    """The places of these grants follow (after their amounts or dates were written in bulk)."""
    from grants.models import Grant

    places = Grant.objects.filter(pk__in=list(grant_ids)).values_list(
        "group__program_id", "group__kelurahan_id"
    )
    for place in sorted(set(places)):
        place_figures_refresh(*place)


def group_place_before(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of a group: remember the place it is moving from, if it moves."""
    if instance.pk is not None and not raw:
        instance._figures_place_before = group_place(instance.pk)


def group_place_follow(sender, instance, raw=False, **kwargs) -> None:
    """post_save of a group: if it moved to another programme or kelurahan with its grant, the
    places it left and joined follow."""
    before = getattr(instance, "_figures_place_before", None)
    now = (instance.program_id, instance.kelurahan_id)
    if not raw and before is not None and before != now:
        place_figures_refresh(*before)
        place_figures_refresh(*now)


@dataclass
class PlaceSum:
    """The figures of several places added up."""

    # (kelurahan id, status, business status, grants, requested, approved, disbursed, funded)
    grants: list = field(default_factory=list)
    accounted: Decimal = Decimal(0)
    revenue: dict = field(default_factory=lambda: defaultdict(Decimal))


def figures_sum(figures) -> PlaceSum:
    """Add up a queryset of PlaceFigures."""
    total = PlaceSum()
    for place in figures:
        total.grants.extend((place.kelurahan_id, *row) for row in place.grants)
        total.accounted += place.accounted
        for month, revenue in place.revenue.items():
            total.revenue[month] += Decimal(revenue)
    return total
