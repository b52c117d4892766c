"""The figures kept beside the rows they count, and the one way they are written.

Five summaries are stored so that a province's lists and dashboards read a few rows instead of
counting millions, and each is exactly what a recount of its rows says:

- each group's roster: ``roster_size`` and ``roster_complete``, from its memberships;
- each grant's money and dates: ``first_tranche_on``, ``disbursed_amount``, ``last_visit_on``,
  ``last_visit_status``, from its disbursements and monitoring visits;
- a draft grant's request: its plan's RAB total, while the grant is a draft;
- the households each programme's capital reached (``HouseholdReach``): a family card with a
  member in a group whose grant has money disbursed;
- each programme's grant figures by kelurahan (``PlaceFigures`` with its ``PlaceGrantCount`` and
  ``PlaceRevenue`` lines).

Every service that writes a row these count calls `changed()` in its transaction, naming what it
touched; nothing else keeps them (no model signal, no ``save()`` override). `changed()` recounts
at once, or, inside `deferred()`, once for the whole block on its way out: a bulk change recounts
each group, grant, household and place once. `drift()` says where a kept figure differs from a
recount (the suite asks it after every test; operators with ``manage.py check_figures``).

This module reads the models of every app and imports nothing else of theirs but the one rule of
a complete group; the services of every app call it.
"""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Min, Q, Sum

from assessments.models import BudgetLine
from grants.models import (
    SUMMARY_FIELDS,
    Disbursement,
    Grant,
    HouseholdReach,
    MonitoringVisit,
    PlaceFigures,
    PlaceGrantCount,
    PlaceRevenue,
    SpendingLine,
)
from participants.models import Membership, Participant, ParticipantGroup
from participants.selectors import roster_gaps

BATCH = 10_000
HOUSEHOLD_BATCH = 5_000


@dataclass
class Touched:
    """What a change touched: the figures to recount."""

    groups: set = field(default_factory=set)  # group ids whose memberships changed
    grants: set = field(default_factory=set)  # grant ids whose money, visits, status changed
    plans: set = field(default_factory=set)  # action plan ids whose RAB changed
    households: set = field(default_factory=set)  # family-card numbers
    places: set = field(default_factory=set)  # (programme id, kelurahan id)

    def add(self, *, groups=(), grants=(), plans=(), households=(), places=()) -> None:
        self.groups.update(groups)
        self.grants.update(grants)
        self.plans.update(plans)
        self.households.update(kk for kk in households if kk)
        self.places.update(tuple(place) for place in places)


_pending: ContextVar[Touched | None] = ContextVar("figures_pending", default=None)


def changed(*, groups=(), grants=(), plans=(), households=(), places=()) -> None:
    """The one entry point: these rows changed, so the figures that count them follow.

    `groups`: their memberships changed (the roster). `grants`: their status, amounts,
    disbursements, visits or spending lines changed (the grant's money and dates, its place, and
    its members' households if it became funded or stopped being so). `plans`: their RAB changed
    (a draft grant's request). `households`: family cards whose groups may have changed.
    `places`: (programme, kelurahan) pairs a group left or joined.
    """
    pending = _pending.get()
    if pending is not None:
        pending.add(groups=groups, grants=grants, plans=plans, households=households, places=places)
        return
    touched = Touched()
    touched.add(groups=groups, grants=grants, plans=plans, households=households, places=places)
    _recount(touched)


@contextmanager
def deferred():
    """Within this block `changed()` only notes what changed; on the way out each group, grant,
    household and place is recounted once, still in the caller's transaction. A block inside
    another leaves the recount to the outer one; a block left by an exception recounts nothing
    (its transaction is rolled back)."""
    if _pending.get() is not None:
        yield
        return
    touched = Touched()
    token = _pending.set(touched)
    try:
        yield
    finally:
        _pending.reset(token)
    _recount(touched)


def _recount(touched: Touched) -> None:
    with transaction.atomic():
        rosters_refresh(touched.groups)
        drafts = draft_requests_refresh(touched.plans)
        grants = touched.grants | drafts
        touched.households |= grant_money_refresh(grants)
        household_reach_refresh(touched.households)
        places = touched.places | set(
            Grant.objects.filter(pk__in=list(grants)).values_list(
                "group__program_id", "group__kelurahan_id"
            )
        )
        for place in sorted(places):
            place_refresh(*place)


# Each figure: how it is counted, and how the count is written --------------------------------


def roster_summaries(group_ids) -> dict[int, tuple[int, bool]]:
    """{group id: (members, complete)} from the memberships, by the one rule (roster_gaps)."""
    roles = {group_id: [] for group_id in group_ids}
    members = Membership.objects.filter(group_id__in=list(roles)).values_list("group_id", "role")
    for group_id, role in members:
        roles[group_id].append(role)
    return {
        group_id: (len(found), not roster_gaps(len(found), set(found)))
        for group_id, found in roles.items()
    }


def rosters_refresh(group_ids: Iterable[int]) -> None:
    """Write each group's member count and completeness: one update per distinct summary, so a
    hundred thousand groups at once (the bulk data tools) take a few statements."""
    ids = sorted(set(group_ids))
    alike = defaultdict(list)
    for start in range(0, len(ids), BATCH):
        for group_id, summary in roster_summaries(ids[start : start + BATCH]).items():
            alike[summary].append(group_id)
    for (size, complete), group_ids_alike in alike.items():
        for start in range(0, len(group_ids_alike), BATCH):
            ParticipantGroup.objects.filter(pk__in=group_ids_alike[start : start + BATCH]).update(
                roster_size=size, roster_complete=complete
            )


def grant_moneys(grant_ids=None) -> dict[int, dict]:
    """{grant id: its first disbursement, total disbursed, last visit and the business's state at
    it} for these grants (for all: None), in three queries whatever their number."""
    grants = Grant.objects.all() if grant_ids is None else Grant.objects.filter(pk__in=grant_ids)
    found = {
        pk: {
            "first_tranche_on": None,
            "disbursed_amount": Decimal(0),
            "last_visit_on": None,
            "last_visit_status": "",
        }
        for pk in grants.values_list("pk", flat=True)
    }
    tranches = Disbursement.objects.filter(grant__in=grants).order_by().values("grant_id")
    for grant_id, first, total in tranches.annotate(
        first=Min("date"), total=Sum("amount")
    ).values_list("grant_id", "first", "total"):
        found[grant_id].update(first_tranche_on=first, disbursed_amount=total or Decimal(0))
    visits = MonitoringVisit.objects.filter(grant__in=grants).order_by(
        "grant_id", "-visit_date", "-pk"
    )
    seen = set()
    for grant_id, day, status in visits.values_list("grant_id", "visit_date", "business_status"):
        if grant_id not in seen:  # the first of each grant's visits is its last
            seen.add(grant_id)
            found[grant_id].update(last_visit_on=day, last_visit_status=status)
    return found


def grant_money_refresh(grant_ids) -> set[str]:
    """Write each grant's money and dates; return the family cards of the members of the grants
    that became funded or stopped being so (their households' reach follows)."""
    households = set()
    counted = grant_moneys(grant_ids)
    for grant_id in sorted(counted):
        was_funded = Grant.objects.filter(pk=grant_id, first_tranche_on__isnull=False).exists()
        money = counted[grant_id]
        Grant.objects.filter(pk=grant_id).update(**money)
        if was_funded != (money["first_tranche_on"] is not None):
            households.update(
                Membership.objects.filter(group__grants=grant_id).values_list(
                    "participant__kk_number", flat=True
                )
            )
    return households


def draft_requests(plan_ids) -> dict[int, Decimal]:
    """{draft grant id: its plan's RAB total} for the drafts of these plans with a RAB."""
    totals = dict(
        BudgetLine.objects.filter(plan_id__in=list(plan_ids))
        .order_by()
        .values("plan_id")
        .annotate(total=Sum("line_total"))
        .values_list("plan_id", "total")
    )
    drafts = Grant.objects.filter(action_plan_id__in=list(totals), status=Grant.Status.DRAFT)
    return {
        pk: totals[plan_id]
        for pk, plan_id in drafts.values_list("pk", "action_plan_id")
        if totals[plan_id] >= 1
    }


def draft_requests_refresh(plan_ids) -> set[int]:
    """A draft grant asks for what its RAB adds up to (once submitted, the amount is what the
    supervisor decides on, and the grant's pages say when it differs from the RAB). Return the
    drafts whose request changed."""
    moved = set()
    for pk, total in draft_requests(plan_ids).items():
        if (
            Grant.objects.filter(pk=pk)
            .exclude(amount_requested=total)
            .update(amount_requested=total)
        ):
            moved.add(pk)
    return moved


def households_reached(kk_numbers) -> set[tuple[int, str]]:
    """(programme id, family card) of these households reached by a programme's capital."""
    return set(
        Membership.objects.filter(
            participant__kk_number__in=list(kk_numbers),
            group__grants__first_tranche_on__isnull=False,
        ).values_list("program_id", "participant__kk_number")
    )


def household_reach_refresh(kk_numbers) -> None:
    """Write which programmes' capital reached each of these households. The households'
    participants are locked first, so two changes of one household at once are written one after
    the other, never from a stale read."""
    households = sorted({kk for kk in kk_numbers if kk})
    for start in range(0, len(households), HOUSEHOLD_BATCH):
        batch = households[start : start + HOUSEHOLD_BATCH]
        with transaction.atomic():
            list(
                Participant.objects.select_for_update()
                .filter(kk_number__in=batch)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            HouseholdReach.objects.filter(kk_number__in=batch).delete()
            HouseholdReach.objects.bulk_create(
                [HouseholdReach(program_id=p, kk_number=kk) for p, kk in households_reached(batch)],
                ignore_conflicts=True,
            )


def monthly_revenue(visits) -> dict:
    """Each month's total revenue of the businesses visited in it (first day of the month →
    rupiah), from (visit date, grant, revenue) in visit order: a business visited twice in a
    month counts once, with its later visit."""
    latest: dict[tuple, Decimal] = {}
    for visit_date, grant_id, revenue in visits:
        latest[(visit_date.replace(day=1), grant_id)] = revenue
    months: dict = defaultdict(Decimal)
    for (month, _grant), revenue in latest.items():
        months[month] += revenue
    return dict(months)


@dataclass
class PlaceCount:
    """What one place's grants add up to."""

    grant_counts: list  # PlaceGrantCount values: (status, business status, grants, money...)
    accounted: Decimal
    revenue: dict  # {first day of the month: rupiah}


def place_count(program_id, kelurahan_id) -> PlaceCount:
    """Count the grant figures of one programme's groups in one kelurahan from the rows."""
    grants = Grant.objects.filter(group__program_id=program_id, group__kelurahan_id=kelurahan_id)
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
    visits = (
        MonitoringVisit.objects.filter(grant__in=grants)
        .order_by("visit_date", "pk")
        .values_list("visit_date", "grant_id", "monthly_revenue")
    )
    accounted = SpendingLine.objects.filter(grant__in=grants).aggregate(t=Sum("actual_amount"))
    return PlaceCount(
        grant_counts=[
            (status, visit, n, requested or 0, approved or 0, disbursed or 0, funded)
            for status, visit, n, requested, approved, disbursed, funded in rows
        ],
        accounted=accounted["t"] or Decimal(0),
        revenue=monthly_revenue(visits),
    )


COUNT_FIELDS = ("status", "business_status", "grants", "requested", "approved", "disbursed",
                "funded")  # fmt: skip


def place_refresh(program_id, kelurahan_id) -> None:
    """Recount one place. Its row is locked before the grants are read, so two changes in the
    same place at once are counted one after the other: the second reads the first's rows once it
    has committed."""
    with transaction.atomic():
        PlaceFigures.objects.bulk_create(
            [PlaceFigures(program_id=program_id, kelurahan_id=kelurahan_id)],
            ignore_conflicts=True,
        )
        place = PlaceFigures.objects.select_for_update().get(
            program_id=program_id, kelurahan_id=kelurahan_id
        )
        count = place_count(program_id, kelurahan_id)
        place.grant_counts.all().delete()
        PlaceGrantCount.objects.bulk_create(
            [
                PlaceGrantCount(place=place, **dict(zip(COUNT_FIELDS, row, strict=True)))
                for row in count.grant_counts
            ]  # fmt: skip
        )
        place.revenue.all().delete()
        PlaceRevenue.objects.bulk_create(
            [PlaceRevenue(place=place, month=m, revenue=r) for m, r in count.revenue.items()]
        )
        if place.accounted != count.accounted:
            place.accounted = count.accounted
            place.save(update_fields=["accounted"])


def places_with_groups() -> set[tuple[int, int]]:
    return set(ParticipantGroup.objects.order_by().values_list("program_id", "kelurahan_id"))


def recount_all() -> None:
    """Recount every kept figure from the rows (after data written in bulk, or to repair drift)
    and drop the figures of places that no longer have groups."""
    places = places_with_groups()
    stale = [
        pk
        for pk, *place in PlaceFigures.objects.values_list("pk", "program_id", "kelurahan_id")
        if tuple(place) not in places
    ]
    PlaceFigures.objects.filter(pk__in=stale).delete()
    changed(
        groups=ParticipantGroup.objects.values_list("pk", flat=True),
        grants=Grant.objects.values_list("pk", flat=True),
        plans=Grant.objects.filter(status=Grant.Status.DRAFT).values_list(
            "action_plan_id", flat=True
        ),
        households=set(Participant.objects.values_list("kk_number", flat=True))
        | set(HouseholdReach.objects.values_list("kk_number", flat=True)),
        places=places,
    )


# Checking ---------------------------------------------------------------------------------


def _place_kept(place: PlaceFigures) -> PlaceCount:
    return PlaceCount(
        grant_counts=list(
            place.grant_counts.order_by("status", "business_status").values_list(*COUNT_FIELDS)
        ),
        accounted=place.accounted,
        revenue=dict(place.revenue.values_list("month", "revenue")),
    )


def drift() -> list[str]:
    """Where a kept figure differs from a recount of its rows, one line each; empty when none
    does. Reads every row, in a number of queries that does not grow with the grants (it grows
    with the places): for the suite, and for an operator's check after a repair."""
    found = []
    kept_rosters = {
        pk: (size, complete)
        for pk, size, complete in ParticipantGroup.objects.values_list(
            "pk", "roster_size", "roster_complete"
        )
    }
    for group_id, counted in roster_summaries(kept_rosters).items():
        if kept_rosters[group_id] != counted:
            found.append(f"group {group_id}: roster kept {kept_rosters[group_id]}, "
                         f"counted {counted}")  # fmt: skip
    counted_money = grant_moneys()
    for grant in Grant.objects.only("pk", *SUMMARY_FIELDS).iterator():
        kept = {name: getattr(grant, name) for name in SUMMARY_FIELDS}
        if kept != (counted := counted_money[grant.pk]):
            found.append(f"grant {grant.pk}: money and dates kept {kept}, counted {counted}")
    drafts = dict(
        Grant.objects.filter(status=Grant.Status.DRAFT).values_list(
            "action_plan_id", "amount_requested"
        )
    )
    requests = dict(
        Grant.objects.filter(status=Grant.Status.DRAFT).values_list("pk", "amount_requested")
    )
    for pk, total in draft_requests(drafts).items():
        requested = requests[pk]
        if requested != total:
            found.append(f"grant {pk}: draft requests {requested}, its RAB adds up to {total}")
    kept_reach = set(HouseholdReach.objects.values_list("program_id", "kk_number"))
    counted_reach = households_reached(set(Participant.objects.values_list("kk_number", flat=True)))
    if kept_reach != counted_reach:
        found.append(f"households reached: kept but not counted {kept_reach - counted_reach}, "
                     f"counted but not kept {counted_reach - kept_reach}")  # fmt: skip
    kept_places = {(p.program_id, p.kelurahan_id): p for p in PlaceFigures.objects.all()}
    for place in sorted(places_with_groups() | set(kept_places)):
        counted = place_count(*place)
        kept = _place_kept(kept_places[place]) if place in kept_places else None
        if kept is None and not counted.grant_counts and not counted.revenue:
            continue  # a place with no grants: nothing to keep
        if kept != counted:
            found.append(f"place {place}: kept {kept}, counted {counted}")
    return found
