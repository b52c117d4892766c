"""Grant lists with money, the last monitoring visit and the days in status computed in SQL;
the kept figures of places, summed."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from grants.models import (
    Grant,
    MonitoringVisit,
    PlaceGrantCount,
    PlaceRevenue,
    SpendingLine,
)

Status = Grant.Status
MONEY = DecimalField(max_digits=14, decimal_places=0)
# A business that has had money is visited at least this often; after that it is overdue.
MONITORING_INTERVAL_DAYS = 60
MONITORED_STATUSES = (Status.DISBURSED, Status.ACCOUNTED)
# The money has come: the statuses from the first tranche on.
RECEIVED_STATUSES = (*MONITORED_STATUSES, Status.CLOSED)
# Money the programme has promised: grants approved and not rejected.
COMMITTED_STATUSES = (Status.APPROVED, Status.DISBURSED, Status.ACCOUNTED, Status.CLOSED)
# Requests a supervisor has (or had) before them: not drafts, not rejected ones.
REQUESTED_STATUSES = (Status.SUBMITTED, *COMMITTED_STATUSES)


def _sum_of(model, field: str, grant_lookup: str):
    """Return the sum of `field` over the rows of `model` that belong to the outer grant."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{grant_lookup: OuterRef("pk")})
            .order_by()
            .values(grant_lookup)
            .annotate(total=Sum(field))
            .values("total")[:1]
        ),
        Value(0),
        output_field=MONEY,
    )


def spent_subquery(grant_lookup: str = "grant"):
    return _sum_of(SpendingLine, "actual_amount", grant_lookup)


def last_visit_subquery(field: str, grant_lookup: str = "grant"):
    """Return one field of the latest monitoring visit of the outer grant (or group)."""
    return Subquery(
        MonitoringVisit.objects.filter(**{grant_lookup: OuterRef("pk")})
        .order_by("-visit_date", "-pk")
        .values(field)[:1]
    )


def monitoring_due_q(
    *,
    status: str = "status",
    last_visit: str = "last_visit_date",
    since: str = "first_disbursed_on",
    today: datetime.date | None = None,
) -> Q:
    """The one rule for "monitoring is due": a business that received money and has had no visit
    in the last MONITORING_INTERVAL_DAYS days (counted from the first tranche while never visited).

    The arguments name the annotated fields, so grant lists and group lists ask the same rule.
    """
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=MONITORING_INTERVAL_DAYS)
    return Q(**{f"{status}__in": MONITORED_STATUSES}) & (
        Q(**{f"{last_visit}__lte": cutoff})
        | Q(**{f"{last_visit}__isnull": True, f"{since}__lte": cutoff})
    )


def grant_list():
    return Grant.objects.select_related(
        "group__kelurahan__kecamatan", "program", "action_plan"
    ).annotate(
        # Kept beside the grant by metro_slum.figures: the sum of its disbursements.
        disbursed=F("disbursed_amount"),
        last_visit_date=F("last_visit_on"),
        first_disbursed_on=F("first_tranche_on"),
    )


def grant_totals(queryset) -> dict:
    """Return requested, approved and disbursed totals of the grants in a (filtered) queryset.

    "Requested" counts what is or was before a supervisor: neither drafts nor rejected requests.
    """
    totals = queryset.order_by().aggregate(
        requested=Sum("amount_requested", filter=Q(status__in=REQUESTED_STATUSES)),
        approved=Sum("amount_approved", filter=Q(status__in=COMMITTED_STATUSES)),
        # Kept beside each grant by metro_slum.figures: one pass over the grants, not a join
        # with every disbursement.
        disbursed=Sum("disbursed_amount"),
    )
    return {key: value or 0 for key, value in totals.items()}


# Grants that may still receive a tranche: where the state table's "disburse" step starts.
DISBURSABLE_STATUSES = Grant.workflow["disburse"].sources


def tranche_to_record(grant, user, disbursed=None) -> dict | None:
    """The next step of an approved grant for those who record tranches: where to record one,
    and the money approved, disbursed so far and still to hand over. None when there is nothing
    left to disburse or the user may not record it."""
    from django.urls import reverse

    from grants.services import disbursed_total

    if not Grant.workflow.may(user, grant, "disburse"):
        return None
    approved = grant.amount_approved or 0
    disbursed = disbursed_total(grant) if disbursed is None else disbursed
    if disbursed >= approved:
        return None
    return {
        "url": reverse("admin:grants_disbursement_add") + f"?grant={grant.pk}",
        "approved": approved,
        "disbursed": disbursed,
        "left": approved - disbursed,
    }


@dataclass
class PlaceSum:
    """The kept figures of several places (PlaceFigures) added up."""

    counts: list  # PlaceGrantCount rows, each with `kelurahan_id` of its place
    accounted: Decimal
    revenue: dict  # {first day of the month: rupiah}


def places_sum(places) -> PlaceSum:
    """Add up a queryset of PlaceFigures: three queries, whatever the number of grants."""
    counts = PlaceGrantCount.objects.filter(place__in=places).annotate(
        kelurahan_id=F("place__kelurahan_id")
    )
    revenue = (
        PlaceRevenue.objects.filter(place__in=places)
        .order_by()
        .values("month")
        .annotate(total=Sum("revenue"))
        .values_list("month", "total")
    )
    return PlaceSum(
        counts=list(counts),
        accounted=places.aggregate(total=Sum("accounted"))["total"] or Decimal(0),
        revenue=dict(revenue),
    )
