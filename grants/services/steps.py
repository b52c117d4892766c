from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from grants.models import (
    Grant,
    GrantEvent,
)
from metro_slum import figures

Status = Grant.Status
WORKFLOW = Grant.workflow


def _locked(grant: Grant) -> Grant:
    return (
        Grant.objects.select_for_update()
        .select_related("group__program", "program", "action_plan")
        .get(pk=grant.pk)
    )


def _start(grant: Grant, step: str, by) -> Grant:
    """Check the user takes this step, lock the grant, check it is still where the step starts."""
    WORKFLOW.require(by, step)
    grant = _locked(grant)
    WORKFLOW.expect(grant, step)
    return grant


def _move(grant: Grant, step: str, *, by, note: str = "", at=None) -> Grant:
    to_status = WORKFLOW[step].target
    event = GrantEvent(
        grant=grant,
        from_status=grant.status,
        to_status=to_status,
        user=by,
        note=note,
        at=at or timezone.now(),
    )
    event.full_clean(exclude=["grant"])
    grant.status = to_status
    grant.status_changed_at = event.at
    grant.save()
    event.save()
    figures.changed(grants=[grant.pk])
    return grant


def disbursed_total(grant: Grant) -> Decimal:
    return grant.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal(0)
