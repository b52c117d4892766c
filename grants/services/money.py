import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from grants.models import (
    Disbursement,
    Grant,
)
from grants.services.steps import WORKFLOW, _move, _start, disbursed_total
from grants.services.verification import verification_round_open
from metro_slum import chronology, figures, notices
from metro_slum.formatting import rupiah
from metro_slum.links import complaint_page
from participants.messaging import message_queue
from participants.models import Membership, Message
from participants.selectors import kelurahan_workers


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
    _tell_tranche(disbursement)
    verification_round_open(disbursement=disbursement)
    return disbursement


def _tell_tranche(disbursement: Disbursement) -> None:
    """The kelurahan's workers get a notice; every member who agreed to messages is told the
    amount and the date, and where to report a cut."""
    group = disbursement.grant.group
    notices.notify(
        kelurahan_workers(group.kelurahan_id),
        kind="tranche",
        text=lambda: (
            _("A tranche of %(amount)s was recorded for %(group)s on %(date)s.")
            % {
                "amount": rupiah(disbursement.amount),
                "group": group.name,
                "date": disbursement.date.strftime("%d/%m/%Y"),
            }
        ),
        url=reverse("grants:grant", kwargs={"group_pk": group.pk}),
    )
    with override(settings.LANGUAGE_CODE):
        text = _(
            "Dinsos Kota Metro: %(amount)s for %(group)s was handed over on %(date)s. Not "
            "received whole? Report it: %(link)s"
        ) % {
            "amount": rupiah(disbursement.amount),
            "group": group.name,
            "date": disbursement.date.strftime("%d/%m/%Y"),
            "link": complaint_page(),
        }
    for membership in group.memberships.select_related("participant"):
        message_queue(
            key=f"tranche:{disbursement.pk}:participant:{membership.participant_id}",
            text=text,
            reason=Message.Reason.TRANCHE,
            participant=membership.participant,
        )
