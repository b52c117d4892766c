"""Every write to a complaint: intake (public page, staff, a social worker), the steps of its state
table, its owner, and the complainant's one appeal. The portal, the public page, the admin and
the demo all call these."""

import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints.models import (
    HANDLE,
    SENSITIVE_CATEGORIES,
    Attachment,
    Category,
    Complaint,
    ComplaintDeadline,
    ComplaintEvent,
)
from complaints.selectors import may_see
from grants import services as grant_services
from metro_slum import chronology, notices
from metro_slum.files import stored as stored_files
from metro_slum.formatting import rupiah
from metro_slum.links import public_url
from metro_slum.phones import normalise_phone
from metro_slum.working_days import add_working_days
from participants.messaging import message_queue
from participants.models import Message

Status = Complaint.Status
WORKFLOW = Complaint.workflow
# The check code: no 0/O, 1/I/L, so that it is read back over the phone without mistakes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# Deadlines of a category staff have not set (working days).
DEFAULT_DEADLINES = (5, 20)
ATTACHMENTS_AT_MOST = 3
# A wrong code costs the same time as a right one: an unknown number is checked against this.
_NO_SUCH_CODE = make_password("never-a-code")


def deadlines(category: str, received_on):
    """The first-answer and resolution dates of a complaint of `category` received that day."""
    rule = ComplaintDeadline.objects.filter(category=category).first()
    answer, resolve = (rule.first_answer_days, rule.resolution_days) if rule else DEFAULT_DEADLINES
    return add_working_days(received_on, answer), add_working_days(received_on, resolve)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def clean_code(code: str) -> str:
    """The code as typed ("k7m x3q", "K7M-X3Q") in the form it was issued."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _links(fields: dict) -> dict:
    """Fill the record a complaint is about upwards (tranche → grant → group → kelurahan) and
    refuse links that do not belong together."""
    disbursement, grant = fields.get("disbursement"), fields.get("grant")
    group, participant = fields.get("group"), fields.get("participant")
    if disbursement is not None:
        if grant is not None and grant.pk != disbursement.grant_id:
            raise ValidationError({"grant": _("This tranche belongs to another grant.")})
        grant = fields["grant"] = disbursement.grant
    if grant is not None:
        if group is not None and group.pk != grant.group_id:
            raise ValidationError({"group": _("This grant belongs to another group.")})
        group = fields["group"] = grant.group
    if group is not None:
        kelurahan = fields.get("kelurahan")
        if kelurahan is not None and kelurahan.pk != group.kelurahan_id:
            raise ValidationError({"kelurahan": _("The group is in another kelurahan.")})
        fields["kelurahan"] = group.kelurahan
    if participant is not None:
        kelurahan = fields.get("kelurahan")
        if kelurahan is not None and kelurahan.pk != participant.kelurahan_id:
            raise ValidationError({"participant": _("This person lives in another kelurahan.")})
        fields["kelurahan"] = participant.kelurahan
    return fields


@transaction.atomic
def complaint_create(*, by, files=(), **fields) -> tuple[Complaint, str]:
    """Record a complaint and return it with its check code (shown once, never stored).

    `by` is None for the public page (channel "web"); staff and social workers record walk-in,
    telephone and WhatsApp complaints. Deadlines follow the category's rule, in working days
    from the day it was received; attachments are checked before anything is stored.
    """
    if by is None:
        fields["channel"] = Complaint.Channel.WEB
        fields["received_on"] = timezone.localdate()
    elif not by.has_perm("complaints.add_complaint"):
        raise PermissionDenied(_("You may not record complaints."))
    fields = _links(dict(fields))
    received_on = fields.pop("received_on", None) or timezone.localdate()
    errors = {}
    if received_on > timezone.localdate():
        errors["received_on"] = _("The day it was received cannot be in the future.")
    if fields.get("anonymous"):
        fields["name"], fields["phone"] = "", ""
    elif not (fields.get("name") or "").strip():
        errors["name"] = _("Write the complainant's name, or tick 'anonymous'.")
    if fields.get("phone"):
        try:
            fields["phone"] = normalise_phone(fields["phone"])
        except ValidationError as error:
            errors["phone"] = error.messages
    files = list(files)
    if len(files) > ATTACHMENTS_AT_MOST:
        errors["files"] = _("Attach at most %(count)d files.") % {"count": ATTACHMENTS_AT_MOST}
    if errors:
        raise ValidationError(errors)
    checked = stored_files.check(files, field="files") if files else []
    code = _new_code()
    first_answer_due, resolution_due = deadlines(fields["category"], received_on)
    complaint = Complaint(
        **fields,
        check_code_hash=make_password(code),
        sensitive=fields["category"] in SENSITIVE_CATEGORIES,
        received_on=received_on,
        status=Status.RECEIVED,
        status_date=received_on,
        first_answer_due=first_answer_due,
        resolution_due=resolution_due,
        created_by=by,
    )
    # A placeholder until the id is known, unique so that two complaints at once never collide.
    complaint.number = f"new-{secrets.token_hex(6)}"
    complaint.full_clean()
    complaint.save()
    # The number is the year and the record's own id: unique without a counter to lock.
    complaint.number = f"ADU-{received_on.year}-{complaint.pk:05d}"
    complaint.save(update_fields=["number"])
    ComplaintEvent.objects.create(
        complaint=complaint, to_status=Status.RECEIVED, on=received_on, user=by
    )
    for item in checked:
        stored_files.store(Attachment(complaint=complaint), item, by=by)
    return complaint, code


# The steps whose note the complainant reads on the public page.
PUBLIC_NOTES = ("assess", "resolve", "reject")
_NUMBER_WRITTEN = re.compile(r"^(?:ADU)?\D*?(?:(?P<year>(?:19|20)\d\d)\D+)?(?P<serial>\d{1,7})$")


def number_candidates(written: str, today=None) -> list[str]:
    """The complaint numbers a resident may mean: "ADU-2026-00010" as printed, and also
    "adu 2026 10", "2026/10" or just "10" (this year's, or last year's)."""
    text = re.sub(r"\s+", " ", (written or "").strip().upper())
    match = _NUMBER_WRITTEN.match(text)
    if match is None:
        return [text] if text else []
    serial = int(match["serial"])
    if match["year"]:
        years = [int(match["year"])]
    else:
        year = (today or timezone.localdate()).year
        years = [year, year - 1]
    return [f"ADU-{year}-{serial:05d}" for year in years]


def complaint_find(number: str, code: str) -> Complaint | None:
    """The complaint whose number (as the resident writes it) and check code both match, else
    None: a wrong code answers exactly like an unknown number (and takes as long)."""
    candidates = list(Complaint.objects.filter(number__in=number_candidates(number)))
    if not candidates:
        check_password(clean_code(code), _NO_SUCH_CODE)
        return None
    for complaint in candidates:
        if check_password(clean_code(code), complaint.check_code_hash):
            return complaint
    return None


def _require_sight(complaint: Complaint, by) -> None:
    if by is not None and not may_see(by, complaint):
        raise PermissionDenied(_("This complaint is handled by the designated officers only."))


def step_problems(complaint: Complaint, step: str, *, on, note: str) -> dict:
    errors = {}
    if on is None:
        errors["on"] = _("Enter the date this happened.")
    elif on > timezone.localdate():
        errors["on"] = _("The date cannot be in the future.")
    elif on < complaint.status_date:
        errors["on"] = _(
            "The step's date %(date)s is before the complaint's last change on %(last)s."
        ) % {
            "date": chronology.day_text(on),
            "last": chronology.day_text(complaint.status_date),
        }
    if step in ("assess", "resolve", "reject", "appeal") and not note.strip():
        errors["note"] = {
            "assess": _("Write the first answer to the complainant."),
            "resolve": _("Write what was done: the complainant reads it."),
            "reject": _("Write the reason for the rejection: the complainant reads it."),
            "appeal": _("Write why the complainant appeals."),
        }[step]
    return errors


def _apply(complaint: Complaint, step: str, *, by, on, note: str) -> Complaint:
    errors = step_problems(complaint, step, on=on, note=note)
    if errors:
        raise ValidationError(errors)
    target = WORKFLOW[step].target
    ComplaintEvent.objects.create(
        complaint=complaint,
        from_status=complaint.status,
        to_status=target,
        on=on,
        user=by,
        note=note.strip(),
    )
    if step == "appeal":
        complaint.appeals += 1
        # The appeal is a new request: the office has the category's time to resolve it again.
        _answer, complaint.resolution_due = deadlines(complaint.category, on)
    else:
        if complaint.answered_on is None:
            complaint.answered_on = on
        if step in PUBLIC_NOTES and note.strip():
            # Only what is written for the complainant, and never emptied by a later step.
            complaint.public_answer = note.strip()
    complaint.status, complaint.status_date = target, on
    complaint.full_clean()
    complaint.save()
    if complaint.verification_answer_id and target in (
        Status.RESOLVED,
        Status.REJECTED,
        Status.APPEALED,
    ):
        # The member's report that the money did not arrive whole is settled with its complaint
        # (and open again while it is appealed): the grant cannot be closed over it.
        grant_services.verification_answer_settle(
            answer=complaint.verification_answer, on=on, settled=target != Status.APPEALED
        )
    _tell_complainant(complaint, event_count=complaint.events.count())
    return complaint


def _contact(person) -> str:
    """A member's number for the complaint's news: only with their consent, and a valid one."""
    if not person.messages_consent or person.messages_stopped_on or not person.phone:
        return ""
    try:
        return normalise_phone(person.phone)
    except ValidationError:
        return ""


@transaction.atomic
def verification_answer(*, answer, by, value: str, channel: str, on, amount=None, note=""):
    """Record a member's answer to the payment verification; "less" or "not received" opens a
    complaint (amount cut, or aid not received) about the tranche, in the member's name."""
    answer = grant_services.verification_answer_record(
        answer=answer, by=by, value=value, channel=channel, on=on, amount=amount, note=note
    )
    if not answer.discrepancy or hasattr(answer, "complaint"):
        return answer, None
    tranche = answer.round.disbursement
    person = answer.participant
    with override(settings.LANGUAGE_CODE):
        told = (
            _("Received %(amount)s of the tranche of %(tranche)s on %(date)s.")
            if answer.answer == answer.Answer.LESS
            else _("The tranche of %(tranche)s on %(date)s did not reach the group.")
        ) % {
            "amount": rupiah(answer.amount_received or 0),
            "tranche": rupiah(tranche.amount),
            "date": tranche.date.strftime("%d/%m/%Y"),
        }
        description = _("Payment verification, %(channel)s: %(told)s %(note)s") % {
            "channel": answer.get_channel_display().lower(),
            "told": told,
            "note": answer.note,
        }
    complaint, _code = complaint_create(
        by=by,
        channel=Complaint.Channel.VERIFICATION,
        category=Category.AMOUNT_CUT
        if answer.answer == answer.Answer.LESS
        else (Category.NOT_RECEIVED),
        name=person.full_name,
        phone=_contact(person),
        description=description.strip(),
        disbursement=tranche,
        participant=person,
        received_on=on,
        verification_answer=answer,
    )
    return answer, complaint


def _tell_complainant(complaint: Complaint, *, event_count: int) -> None:
    """A complainant who left a number hears of each change of status (never the content)."""
    if not complaint.phone:
        return
    with override(settings.LANGUAGE_CODE):
        text = _(
            "Dinsos Kota Metro: your complaint %(number)s is now '%(status)s'. See the answer "
            "with your check code at %(link)s"
        ) % {
            "number": complaint.number,
            "status": complaint.get_status_display(),
            "link": public_url(reverse("complaints:status")),
        }
    message_queue(
        key=f"complaint:{complaint.pk}:step:{event_count}",
        text=text,
        reason=Message.Reason.COMPLAINT,
        phone=complaint.phone,
        sensitive=complaint.sensitive,
    )


@transaction.atomic
def complaint_step(*, complaint: Complaint, step: str, by, on=None, note: str = "") -> Complaint:
    """Move a complaint on (assessed, in progress, resolved, rejected, appealed) with its date
    and note; a double click or two handlers at once make one step."""
    if step not in WORKFLOW.steps:
        raise ValidationError(_("Unknown step."))
    WORKFLOW.require(by, step)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require_sight(complaint, by)
    WORKFLOW.expect(complaint, step)
    guard = WORKFLOW[step].guard
    if guard is not None and not guard(complaint, by):
        raise ValidationError(_("This complaint has been appealed once already."))
    return _apply(complaint, step, by=by, on=on or timezone.localdate(), note=note)


@transaction.atomic
def complaint_appeal_public(*, number: str, code: str, reason: str) -> Complaint:
    """The complainant's own appeal from the public page, with the number and check code."""
    complaint = complaint_find(number, code)
    if complaint is None:
        raise ValidationError(_("The number or the check code does not match."))
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    WORKFLOW.expect(complaint, "appeal")
    if complaint.appeals:
        raise ValidationError(_("This complaint has been appealed once already."))
    return _apply(complaint, "appeal", by=None, on=timezone.localdate(), note=reason)


@transaction.atomic
def complaint_assign(*, complaint: Complaint, owner, by) -> Complaint:
    """Give a complaint to the officer who handles it."""
    if by is None or not by.has_perm(HANDLE):
        raise PermissionDenied(_("Only a supervisor assigns complaints."))
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require_sight(complaint, by)
    if not complaint.is_active:
        raise ValidationError(_("A closed complaint is not assigned."))
    if owner is None or not owner.is_active or not owner.has_perm(HANDLE):
        raise ValidationError({"owner": _("Choose an officer who handles complaints.")})
    if not may_see(owner, complaint):
        raise ValidationError(
            {"owner": _("A sensitive complaint goes only to a designated officer.")}
        )
    complaint.owner = owner
    complaint.save(update_fields=["owner", "updated_at"])
    if owner != by:
        notices.notify(
            [owner],
            kind="complaint_assigned",
            text=lambda: (
                _("Complaint %(number)s (%(category)s) is yours to handle.")
                % {"number": complaint.number, "category": complaint.get_category_display()}
            ),
            url=reverse("complaints:detail", args=[complaint.pk]),
        )
    return complaint


@transaction.atomic
def complaint_link_lapor(*, complaint: Complaint, ticket: str, by) -> Complaint:
    """Record the SP4N-LAPOR ticket number of a complaint that arrived there too."""
    if by is None or not by.has_perm(HANDLE):
        raise PermissionDenied(_("Only a supervisor handles complaints."))
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require_sight(complaint, by)
    complaint.lapor_ticket = ticket.strip()
    complaint.full_clean()
    complaint.save(update_fields=["lapor_ticket", "updated_at"])
    return complaint
