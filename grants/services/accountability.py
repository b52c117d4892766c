from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from grants.models import (
    Document,
    Grant,
    MonitoringVisit,
    SpendingLine,
)
from grants.services.preparing import document_upload
from grants.services.steps import _move, _start, disbursed_total
from grants.services.verification import unsettled_discrepancies
from metro_slum import chronology, figures
from metro_slum.formatting import rupiah
from metro_slum.offline import Conflict
from participants.messaging import message_queue
from participants.models import Message


@transaction.atomic
def spending_line_add(
    *,
    grant: Grant,
    by,
    description: str,
    spent_on,
    actual_amount,
    budget_line=None,
    receipt=None,
    is_advance: bool = False,
    advance_reason: str = "",
) -> SpendingLine:
    """Record a line of the LPJ; a receipt dated before the first tranche is an advance, with
    its reason."""
    grant = _start(grant, "add_spending", by)
    if budget_line is not None and budget_line.plan_id != grant.action_plan_id:
        raise ValidationError(_("Choose a line of this group's own budget plan (RAB)."))
    if receipt is not None and (
        receipt.grant_id != grant.pk or receipt.kind != Document.Kind.RECEIPT
    ):
        raise ValidationError(_("Attach a receipt uploaded for this grant."))
    line = SpendingLine(
        grant=grant,
        budget_line=budget_line,
        description=description,
        spent_on=spent_on,
        actual_amount=actual_amount,
        receipt=receipt,
        recorded_by=by,
        is_advance=is_advance,
        advance_reason=advance_reason.strip(),
    )
    line.full_clean()
    chronology.require(line)
    line.save()
    figures.changed(grants=[grant.pk])
    return line


@transaction.atomic
def grant_mark_accounted(*, grant: Grant, by, note: str = "") -> Grant:
    """Accept the group's accountability report: spending with receipts covers what it received."""
    grant = _start(grant, "accept_accountability", by)
    problems = accountability_problems(grant)
    if problems:
        raise ValidationError([ValidationError(p, code="gate") for p in problems])
    return _move(grant, "accept_accountability", by=by, note=note.strip())


def accountability_figures(grant: Grant) -> dict:
    """The LPJ against the money: disbursed, spent on receipts, the gap, lines without receipt."""
    lines = list(grant.spending_lines.all())
    spent = sum((line.actual_amount for line in lines), Decimal(0))
    received = disbursed_total(grant)
    return {
        "received": received,
        "spent": spent,
        "gap": max(received - spent, Decimal(0)),
        "lines": len(lines),
        "receipts": sum(1 for line in lines if line.receipt_id is not None),
        "without_receipt": [line.description for line in lines if line.receipt_id is None],
    }


def accountability_problems(grant: Grant, figures: dict | None = None) -> list[str]:
    """Return why the LPJ cannot be accepted yet: spending short of the money, lines unreceipted."""
    figures = figures or accountability_figures(grant)
    spent, received = figures["spent"], figures["received"]
    problems = []
    if spent < received:
        problems.append(
            _(
                "The spending recorded (%(spent)s) does not yet cover the %(received)s the group "
                "received; %(gap)s is not accounted for."
            )
            % {
                "spent": rupiah(spent),
                "received": rupiah(received),
                "gap": rupiah(received - spent),
            }
        )
    if figures["without_receipt"]:
        problems.append(
            _("These spending lines have no receipt: %(list)s.")
            % {"list": ", ".join(figures["without_receipt"])}
        )
    return problems


@transaction.atomic
def grant_close(*, grant: Grant, by, note: str = "") -> Grant:
    """End the follow-up: the business goes on without the office's monitoring. Not while a
    member's report that the money did not arrive whole is unsettled."""
    grant = _start(grant, "close", by)
    open_reports = unsettled_discrepancies(grant)
    if open_reports:
        raise ValidationError(
            _(
                "%(count)d member(s) reported that a tranche did not arrive whole, and the "
                "complaint is not settled yet: resolve or reject it before closing the grant."
            )
            % {"count": open_reports},
            code="unsettled_verification",
        )
    return _move(grant, "close", by=by, note=note.strip())


@transaction.atomic
def monitoring_visit_record(*, grant: Grant, by, photo_file=None, **fields) -> MonitoringVisit:
    grant = _start(grant, "record_visit", by)
    photo = None
    if photo_file is not None:
        photo = document_upload(grant=grant, by=by, kind=Document.Kind.PHOTO, file=photo_file)
    visit = MonitoringVisit(grant=grant, officer=by, photo=photo, **fields)
    visit.full_clean()
    chronology.require(visit)
    visit.save()
    figures.changed(grants=[grant.pk])
    if visit.next_visit_on:
        _tell_next_visit(visit)
    return visit


@transaction.atomic
def monitoring_visit_change(
    *, visit: MonitoringVisit, by, version: int, photo_file=None, **fields
) -> MonitoringVisit:
    """Correct a visit as it stood at `version`; if it was corrected since (from another phone
    or page), nothing is written and `Conflict` carries the visit as it now stands."""
    if not by.has_perm("grants.change_monitoringvisit"):
        raise PermissionDenied
    grant = _start(visit.grant, "record_visit", by)
    visit = MonitoringVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.version != version:
        raise Conflict(visit)
    for name, value in fields.items():
        setattr(visit, name, value)
    if photo_file is not None:
        visit.photo = document_upload(grant=grant, by=by, kind=Document.Kind.PHOTO, file=photo_file)
    visit.version += 1
    visit.changed_by = by
    visit.changed_at = timezone.now()
    visit.full_clean()
    chronology.require(visit)
    visit.save()
    figures.changed(grants=[grant.pk])
    return visit


def _tell_next_visit(visit: MonitoringVisit) -> None:
    """The members who agreed to messages hear when the office comes again."""
    group = visit.grant.group
    with override(settings.LANGUAGE_CODE):
        text = _(
            "Dinsos Kota Metro: the next monitoring visit to %(group)s is planned on %(date)s."
        ) % {"group": group.name, "date": visit.next_visit_on.strftime("%d/%m/%Y")}
    for membership in group.memberships.select_related("participant"):
        message_queue(
            key=f"visit:{visit.pk}:participant:{membership.participant_id}",
            text=text,
            reason=Message.Reason.VISIT,
            participant=membership.participant,
        )
