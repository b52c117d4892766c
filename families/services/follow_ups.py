from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import (
    Evidence,
    FollowUp,
    FollowUpEvent,
)
from metro_slum import chronology
from metro_slum.files import stored as stored_files
from participants.models import Membership, ParticipantGroup

WORKFLOW = FollowUp.workflow
Status = FollowUp.Status


def _check_person(group: ParticipantGroup, scope: str, participant) -> None:
    if scope == FollowUp.Scope.GROUP:
        return
    if participant is None:
        raise ValidationError({"participant": _("Choose the member this follow-up is for.")})
    if not Membership.objects.filter(group=group, participant=participant).exists():
        raise ValidationError(
            {"participant": _("%(name)s is not a member of this group.") % {"name": participant}}
        )


@transaction.atomic
def follow_up_create(*, group: ParticipantGroup, by, on=None, **fields) -> FollowUp:
    """Record a need found in the assessment (or noted later) as an open follow-up, noted on the
    day `on` (today by default)."""
    if by is None or not by.has_perm("families.add_followup"):
        raise PermissionDenied(_("Only a social worker records follow-ups."))
    problem = fields.get("problem")
    if problem is not None:
        if problem.assessment.group_id != group.pk:
            raise ValidationError(_("This problem belongs to another group's assessment."))
        fields.setdefault("category", problem.category)
    if fields.get("scope") == FollowUp.Scope.GROUP:
        fields["participant"] = None
    on = on or timezone.localdate()
    follow_up = FollowUp(
        group=group, created_by=by, status=Status.OPEN, status_date=on, opened_on=on, **fields
    )
    follow_up.full_clean()
    chronology.require(follow_up, listed=True)
    _check_person(group, follow_up.scope, follow_up.participant)
    follow_up.save()
    FollowUpEvent.objects.create(follow_up=follow_up, to_status=Status.OPEN, on=on, user=by)
    return follow_up


def may_correct(follow_up: FollowUp, user) -> bool:
    """The worker who recorded the follow-up (or a superuser) corrects it while it is open."""
    if follow_up.status not in FollowUp.ACTIVE_STATUSES or user is None:
        return False
    return user.is_superuser or (
        follow_up.created_by_id == user.pk and user.has_perm("families.change_followup")
    )


@transaction.atomic
def follow_up_correct(*, follow_up: FollowUp, by, **fields) -> FollowUp:
    """Correct what a follow-up says (what is needed, for whom, the service, the target date)
    while it is open; its steps and dates stay as they were. The history keeps the old text."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not may_correct(follow_up, by):
        raise PermissionDenied(
            _("Only the worker who recorded this follow-up corrects it, while it is open.")
        )
    unknown = set(fields) - set(FollowUp.CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be corrected: %(list)s.") % {"list": sorted(unknown)})
    for name, value in fields.items():
        setattr(follow_up, name, value)
    if follow_up.scope == FollowUp.Scope.GROUP:
        follow_up.participant = None
    follow_up.full_clean()
    chronology.require(follow_up, listed=True)
    _check_person(follow_up.group, follow_up.scope, follow_up.participant)
    follow_up.save()
    return follow_up


def _evidence_check(files) -> list:
    """Inspect every file before any is stored; refuse the batch naming each bad one."""
    return stored_files.check(files, field="files")


def _evidence_store(follow_up, event, by, checked) -> list[Evidence]:
    return [
        stored_files.store(Evidence(follow_up=follow_up, event=event), item, by=by)
        for item in checked
    ]


def step_problems(follow_up: FollowUp, step: str, *, on, note: str, referred_to: str, files):
    """Return what stops the step, by field: each step asks for what shows it happened."""
    errors = {}
    if on is None:
        errors["on"] = _("Enter the date this happened.")
    elif dates := chronology.messages(FollowUpEvent(follow_up=follow_up, on=on)):
        errors["on"] = " ".join(dates)
    elif on < follow_up.status_date:
        # Steps follow one another: none is dated before the one it follows.
        errors["on"] = _(
            "The step's date %(date)s is before the follow-up's last change on %(last)s."
        ) % {"date": chronology.day_text(on), "last": chronology.day_text(follow_up.status_date)}
    if step == "refer" and not (referred_to or follow_up.referred_to).strip():
        errors["referred_to"] = _("Say which office or agency the family was referred to.")
    if step == "resolve" and not files and not follow_up.evidence.exists():
        errors["files"] = _(
            "Attach the evidence that it is resolved (e.g. a photo of the BPJS card, the new KTP, "
            "a letter from the agency)."
        )
    if step in ("decline", "impossible", "reopen") and not note.strip():
        errors["note"] = _("Write the reason in the note.")
    return errors


@transaction.atomic
def follow_up_step(
    *, follow_up: FollowUp, step: str, by, on=None, note: str = "", referred_to: str = "", files=()
) -> FollowUp:
    """Move a follow-up on (referred, resolved...), with its date, note and evidence."""
    if step not in WORKFLOW.steps:
        raise ValidationError(_("Unknown step."))
    WORKFLOW.require(by, step)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    WORKFLOW.expect(follow_up, step)
    on = on or timezone.localdate()
    files = list(files)
    errors = step_problems(follow_up, step, on=on, note=note, referred_to=referred_to, files=files)
    checked = _evidence_check(files) if files and not errors else []
    if errors:
        raise ValidationError(errors)
    event = FollowUpEvent.objects.create(
        follow_up=follow_up,
        from_status=follow_up.status,
        to_status=WORKFLOW[step].target,
        on=on,
        user=by,
        note=note.strip(),
    )
    if referred_to.strip():
        follow_up.referred_to = referred_to.strip()
    follow_up.status = WORKFLOW[step].target
    follow_up.status_date = on
    follow_up.save()
    _evidence_store(follow_up, event, by, checked)
    return follow_up


@transaction.atomic
def evidence_add(*, follow_up: FollowUp, by, files) -> list[Evidence]:
    """Add documents to a follow-up that is still being worked on; all of them or none."""
    if by is None or not by.has_perm("families.add_evidence"):
        raise PermissionDenied(_("You may not add evidence to this follow-up."))
    files = list(files)
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    return _evidence_store(follow_up, None, by, _evidence_check(files))
