"""Grant lists with the disbursed amount and the days in the current status computed in SQL."""

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from grants.models import Disbursement, Grant


def disbursed_subquery():
    return Coalesce(
        Subquery(
            Disbursement.objects.filter(grant=OuterRef("pk"))
            .values("grant")
            .annotate(total=Sum("amount"))
            .values("total")[:1]
        ),
        Value(0),
        output_field=DecimalField(max_digits=14, decimal_places=0),
    )


def grant_list():
    return Grant.objects.select_related(
        "group__kelurahan__kecamatan", "program", "action_plan"
    ).annotate(disbursed=disbursed_subquery())


def grant_totals(queryset) -> dict:
    """Return requested, approved and disbursed totals of the grants in a (filtered) queryset."""
    totals = queryset.order_by().aggregate(
        requested=Sum("amount_requested"), approved=Sum("amount_approved")
    )
    totals["disbursed"] = Disbursement.objects.filter(
        grant__in=queryset.order_by().values("pk")
    ).aggregate(total=Sum("amount"))["total"]
    return {key: value or 0 for key, value in totals.items()}
