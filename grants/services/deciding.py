from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import (
    Grant,
    is_decider,
)
from grants.selectors import COMMITTED_STATUSES
from grants.services.accountability import grant_close, grant_mark_accounted
from grants.services.steps import WORKFLOW, _locked, _move
from metro_slum import chronology, notices
from metro_slum.formatting import rupiah
from participants import services as participant_services
from participants.selectors import kelurahan_workers


def _check_maker_checker(grant: Grant, by) -> None:
    if not is_decider(grant, by):
        raise ValidationError(
            _(
                "You prepared or submitted this grant, so another supervisor must decide on it "
                "(maker-checker)."
            ),
            code="maker_checker",
        )


def approval_problems(grant: Grant, amount: Decimal) -> list[str]:
    """Return why this amount cannot be approved (ceiling per group, what is left of the budget)."""
    problems = []
    program = grant.program
    try:
        participant_services.program_check_grant_ceiling(
            program=program, amount=amount, what=_("The amount")
        )
    except ValidationError as error:
        problems += error.messages
    committed = Grant.objects.filter(program=program, status__in=COMMITTED_STATUSES).exclude(
        pk=grant.pk
    ).aggregate(total=Sum("amount_approved"))["total"] or Decimal(0)
    left = program.total_budget - committed
    if amount > left:
        problems.append(
            _(
                "The amount of %(amount)s is more than what is left of the programme budget "
                "(%(left)s of %(total)s)."
            )
            % {
                "amount": rupiah(amount),
                "left": rupiah(left),
                "total": rupiah(program.total_budget),
            }
        )
    return problems


@transaction.atomic
def grant_approve(
    *, grant: Grant, by, amount: Decimal | None = None, note: str = "", at=None
) -> Grant:
    WORKFLOW.require(by, "approve")
    # Lock the programme too: two approvals at once must not both fit in the same remaining budget.
    type(grant.program).objects.select_for_update().get(pk=grant.program_id)
    grant = _locked(grant)
    WORKFLOW.expect(grant, "approve")
    _check_maker_checker(grant, by)
    amount = grant.amount_requested if amount is None else Decimal(amount)
    problems = approval_problems(grant, amount)
    grant.decided_by, grant.decided_at = by, at or timezone.now()
    problems += chronology.messages(grant)
    if problems:
        raise ValidationError([ValidationError(p, code="gate") for p in problems])
    grant.amount_approved = amount
    grant = _move(grant, "approve", by=by, note=note.strip(), at=grant.decided_at)
    _tell_decided(
        grant,
        lambda: (
            _("The grant of %(group)s was approved: %(amount)s.")
            % {"group": grant.group.name, "amount": rupiah(grant.amount_approved)}
        ),
    )
    return grant


@transaction.atomic
def grant_reject(*, grant: Grant, by, reason: str, at=None) -> Grant:
    WORKFLOW.require(by, "reject")
    if not reason or not reason.strip():
        raise ValidationError(
            _("Write the reason for rejecting, so the group knows what to revise."),
            code="reason_required",
        )
    grant = _locked(grant)
    WORKFLOW.expect(grant, "reject")
    _check_maker_checker(grant, by)
    grant.decided_by, grant.decided_at = by, at or timezone.now()
    chronology.require(grant, listed=True)
    grant.rejection_reason = reason.strip()
    grant = _move(grant, "reject", by=by, note=reason.strip(), at=grant.decided_at)
    _tell_decided(
        grant,
        lambda: (
            _("The grant of %(group)s was rejected: %(reason)s")
            % {"group": grant.group.name, "reason": grant.rejection_reason[:150]}
        ),
    )
    return grant


def _tell_decided(grant: Grant, text) -> None:
    """Who prepared and submitted the grant, and the kelurahan's workers, are told."""
    people = list(kelurahan_workers(grant.group.kelurahan_id))
    people += [grant.created_by, grant.submitted_by]
    notices.notify(
        people,
        kind="grant_decided",
        text=text,
        url=reverse("grants:grant", kwargs={"group_pk": grant.group_id}),
    )


# The supervisor's steps, by their names in the state table: what the portal's buttons and the
# admin's actions call.
DECISION_STEPS = ("approve", "reject", "accept_accountability", "close")


def grant_decide(*, grant: Grant, step: str, by, note: str = "", amount=None) -> Grant:
    """Take one of the supervisor's steps on a grant by its name in the state table."""
    if step == "approve":
        return grant_approve(grant=grant, by=by, amount=amount, note=note)
    if step == "reject":
        return grant_reject(grant=grant, by=by, reason=note)
    if step == "accept_accountability":
        return grant_mark_accounted(grant=grant, by=by, note=note)
    if step == "close":
        return grant_close(grant=grant, by=by, note=note)
    raise ValidationError(_("There is no such step."), code="unknown_step")
