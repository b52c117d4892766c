"""Every step a grant takes, each in one function that admin, portal and commands call.

Public money moves here. Each step locks the grant row, checks the grant is still where the step
starts from, writes the change and one GrantEvent, all in one transaction: a double click or two
supervisors at once produce exactly one step and one event; the second is refused with a message.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import ActionPlan, NeedsAssessment
from assessments.services import budget_total
from grants.models import (
    Disbursement,
    Document,
    Grant,
    GrantEvent,
    MonitoringVisit,
    SpendingLine,
    is_decider,
)
from grants.selectors import COMMITTED_STATUSES
from metro_slum import chronology, figures
from metro_slum.files import stored as stored_files
from metro_slum.formatting import rupiah
from participants import services as participant_services
from participants.models import Membership, ParticipantGroup
from participants.selectors import incomplete_group_message

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


# Preparing ---------------------------------------------------------------------------------


@transaction.atomic
def grant_create(*, group: ParticipantGroup, by, at=None, **fields) -> Grant:
    """Start a grant proposal from the group's action plan; the amount defaults to the RAB total.

    `at`, here and in the other steps, is when the step was taken: now, unless a step taken on
    paper earlier is entered (the demo's story, records brought over from before the system).
    """
    if by is None or not by.has_perm("grants.add_grant"):
        raise PermissionDenied(_("Only a social worker prepares a grant proposal."))
    plan = ActionPlan.objects.filter(group=group).first()
    if plan is None:
        raise ValidationError(
            _("Draw up the group's action plan and budget (RAB) before preparing a grant."),
            code="no_plan",
        )
    fields.setdefault("amount_requested", budget_total(plan.budget_lines.all()))
    fields.setdefault("purpose", plan.goal)
    grant = Grant(group=group, program=group.program, action_plan=plan, created_by=by, **fields)
    grant.full_clean()
    grant.save()
    GrantEvent.objects.create(grant=grant, to_status=Status.DRAFT, user=by, at=at or timezone.now())
    figures.changed(grants=[grant.pk])
    return grant


def rab_total(grant: Grant) -> Decimal:
    return budget_total(grant.action_plan.budget_lines.all())


@transaction.atomic
def grant_update(*, grant: Grant, by, **fields) -> Grant:
    """Change a draft, or revise a rejected grant before submitting it again."""
    grant = _start(grant, "update", by)
    for name, value in fields.items():
        setattr(grant, name, value)
    grant.full_clean()
    grant.save()
    figures.changed(grants=[grant.pk])
    return grant


@transaction.atomic
def document_upload(*, grant: Grant, by, kind: str, file) -> Document:
    return documents_upload(grant=grant, by=by, files=[(kind, file)])[0]


@transaction.atomic
def documents_upload(*, grant: Grant, by, files) -> list[Document]:
    """Store several (kind, file) documents of a grant at once, or none of them.

    Every file is checked before any is stored; a refusal names each file that failed and why.
    """
    grant = _start(grant, "upload", by)
    checked = stored_files.check(list(files), images_only=lambda kind: kind == Document.Kind.PHOTO)
    return [
        stored_files.store(Document(grant=grant, kind=item.kind), item, by=by) for item in checked
    ]


def missing_document_kinds(grant: Grant) -> list[str]:
    """Return the kinds of the documents a submission still needs."""
    present = set(grant.documents.values_list("kind", flat=True))
    return [kind for kind in Document.REQUIRED_FOR_SUBMISSION if kind not in present]


def missing_documents(grant: Grant) -> list[str]:
    """Return the labels of the documents a submission still needs."""
    return [str(Document.Kind(kind).label) for kind in missing_document_kinds(grant)]


def submission_problems(grant: Grant) -> list[str]:
    """Return each gate a submission would fail, in Indonesian, empty when it may go."""
    problems = []
    group = grant.group
    incomplete = incomplete_group_message(group)
    if incomplete:
        problems.append(incomplete)
    assessment = NeedsAssessment.objects.filter(group=group).first()
    if assessment is None or assessment.status != NeedsAssessment.Status.REVIEWED:
        problems.append(_("The needs assessment has not been reviewed by a supervisor."))
    plan = grant.action_plan
    if plan.status not in (ActionPlan.Status.SUBMITTED, ActionPlan.Status.APPROVED):
        problems.append(_("The action plan has not been submitted."))
    missing = missing_documents(grant)
    if missing:
        problems.append(_("Documents missing: %(list)s.") % {"list": ", ".join(missing)})
    if not (grant.bank_name and grant.bank_account_number and grant.bank_account_holder):
        problems.append(_("Fill in the group's bank, account number and account holder."))
    return problems


@transaction.atomic
def grant_submit(*, grant: Grant, by, at=None) -> Grant:
    grant = _start(grant, "submit", by)
    problems = submission_problems(grant)
    grant.submitted_by, grant.submitted_at = by, at or timezone.now()
    # A resubmitted request waits for a new decision: the earlier one stays in the history.
    grant.decided_by = grant.decided_at = None
    problems += chronology.messages(grant)
    if problems:
        raise ValidationError([ValidationError(p, code="gate") for p in problems])
    grant.rejection_reason = ""
    return _move(grant, "submit", by=by, at=grant.submitted_at)


# Deciding ----------------------------------------------------------------------------------


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
    return _move(grant, "approve", by=by, note=note.strip(), at=grant.decided_at)


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
    return _move(grant, "reject", by=by, note=reason.strip(), at=grant.decided_at)


# Money out ---------------------------------------------------------------------------------


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


# Accountability and after ------------------------------------------------------------------


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
    """End the follow-up: the business goes on without the office's monitoring."""
    grant = _start(grant, "close", by)
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
    return visit


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


def identity_documents_purge(*, program) -> int:
    """Delete the KTP copies of a programme's grants (files and rows); return how many went.

    The grants, their amounts and the other documents stay: the programme's figures are intact.
    """
    documents = list(Document.objects.filter(grant__program=program, kind=Document.Kind.KTP))
    for document in documents:
        document.file.delete(save=False)
        document.delete()
    return len(documents)
