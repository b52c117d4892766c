from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import ActionPlan, NeedsAssessment
from assessments.services import budget_total
from grants.models import (
    Document,
    Grant,
    GrantEvent,
)
from grants.services.steps import Status, _move, _start
from metro_slum import chronology, figures
from metro_slum.files import stored as stored_files
from participants import eligibility
from participants.models import ParticipantGroup
from participants.selectors import incomplete_group_message


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
    # Checked again here: a household's rank may have moved since its member joined.
    problems += eligibility.group_problems(group)
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
