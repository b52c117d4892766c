import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grants.models import (
    Disbursement,
    Grant,
)
from grants.services.steps import WORKFLOW, _move, _start, disbursed_total
from metro_slum import chronology, figures
from metro_slum.formatting import rupiah
from participants.models import Membership


def disbursement_problems(grant: Grant, *, amount, received_by, date) -> list[str]:
    """Return why this tranche cannot be recorded (over the approved amount, wrong receiver...)."""
    problems = []
    if not WORKFLOW.allows(grant, "disburse"):
        problems.append(
            _("Only an approved grant can be disbursed; this one is '%(status)s'.")
            % {"status": grant.get_status_display()}
        )
        return problems
    already = disbursed_total(grant)
    if already + amount > grant.amount_approved:
        problems.append(
            _(
                "%(amount)s would bring the disbursements to %(total)s, more than the approved "
                "%(approved)s. At most %(left)s can still be disbursed."
            )
            % {
                "amount": rupiah(amount),
                "total": rupiah(already + amount),
                "approved": rupiah(grant.amount_approved),
                "left": rupiah(grant.amount_approved - already),
            }
        )
    if (
        received_by.group_id != grant.group_id
        or received_by.role not in Disbursement.RECEIVER_ROLES
    ):
        problems.append(_("The money is received by the group's chair or treasurer."))
    problems += chronology.messages(Disbursement(grant=grant, date=date))
    return problems


@transaction.atomic
def disbursement_record(
    *,
    grant: Grant,
    by,
    date: datetime.date,
    amount: Decimal,
    method: str,
    reference_number: str,
    received_by: Membership,
    note: str = "",
) -> Disbursement:
    """Record one tranche handed to the group; the tranches never add up to more than approved."""
    grant = _start(grant, "disburse", by)
    problems = disbursement_problems(grant, amount=amount, received_by=received_by, date=date)
    if problems:
        raise ValidationError([ValidationError(p, code="gate") for p in problems])
    disbursement = Disbursement(
        grant=grant,
        date=date,
        amount=amount,
        method=method,
        reference_number=reference_number.strip(),
        handed_over_by=by,
        received_by=received_by,
        note=note,
    )
    disbursement.full_clean()
    try:
        with transaction.atomic():
            disbursement.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("This reference number is already recorded."), code="reference_taken"
        ) from exc
    with figures.deferred():  # the status and the money: one recount
        _move(
            grant,
            "disburse",
            by=by,
            note=_("Tranche %(reference)s: %(amount)s")
            % {"reference": disbursement.reference_number, "amount": rupiah(amount)},
        )
    return disbursement
