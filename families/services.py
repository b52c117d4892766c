"""Every change to follow-ups, aid and outcome measurements, each in one function that the portal,
the admin, the importer and the demo call.

A follow-up's status changes like a grant's: the row is locked, the step checked against the
state table, the change and its event written together. Aid of a kind the household already
received within the kind's period is refused as a possible double unless the user confirms it;
it is then saved marked as such.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import MemberProfile, NeedsAssessment
from families.models import (
    Aid,
    AidKind,
    Evidence,
    FollowUp,
    FollowUpEvent,
    Measurement,
    MemberMeasurement,
)
from grants.models import Disbursement
from metro_slum import chronology
from metro_slum.files import stored as stored_files
from metro_slum.formatting import rupiah
from participants.models import Membership, Participant, ParticipantGroup
from participants.selectors import household_members

WORKFLOW = FollowUp.workflow
Status = FollowUp.Status
Milestone = Measurement.Milestone


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


# Follow-ups ------------------------------------------------------------------------------


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


# Aid -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlierAid:
    received_on: datetime.date
    kind: str
    source: str
    recipient: str
    value: Decimal | None

    def __str__(self):
        amount = f" ({rupiah(self.value)})" if self.value else ""
        return f"{self.received_on:%d/%m/%Y} {self.kind} – {self.source}, {self.recipient}{amount}"


def aid_window(kind: AidKind, day: datetime.date):
    """The days within which the same kind of aid to one household is a possible double."""
    return add_months(day, -kind.repeat_months), add_months(day, kind.repeat_months)


def grant_aid_for_household(kk_number: str, start=None, end=None, *, people=None):
    """The programme's business capital that reached a household: one row per member's group grant,
    dated by its first disbursement, worth the money disbursed to the group. Only the grants of
    `people` (the household's members a user may see) when given."""
    if people is None:
        people = household_members(kk_number)
    members = Membership.objects.filter(participant__in=people).select_related(
        "participant", "group__program"
    )
    by_group = {m.group_id: m for m in members}
    if not by_group:
        return []
    money = (
        Disbursement.objects.filter(grant__group_id__in=by_group)
        .values("grant__group_id", "grant__program__name")
        .annotate(first=Min("date"), total=Sum("amount"))
        .order_by("first")
    )
    rows = []
    for row in money:
        if (start and row["first"] < start) or (end and row["first"] > end):
            continue
        member = by_group[row["grant__group_id"]]
        rows.append((member, row["first"], row["total"], row["grant__program__name"]))
    return rows


def business_capital_name() -> str:
    """The register's name for business capital, under which the programme's grants are shown."""
    kind = AidKind.objects.filter(is_business_capital=True).order_by("pk").first()
    return kind.name if kind else _("Business capital")


def aid_doubles(
    *, participant: Participant, kind: AidKind, received_on, by=None
) -> list[EarlierAid]:
    """Aid of the same kind that reached the participant's household within the kind's period.

    Every member of the household counts, wherever registered; aid to a member outside the
    kelurahan `by` may see is named without the person and the amount.
    """
    start, end = aid_window(kind, received_on)
    visible = set(household_members(participant.kk_number, by).values_list("pk", flat=True))
    elsewhere = _("a member of the household in another kelurahan")

    def earlier_aid(day, source, person, value):
        if person.pk in visible:
            return EarlierAid(day, kind.name, source, person.full_name, value)
        return EarlierAid(day, kind.name, source, elsewhere, None)

    found = [
        earlier_aid(a.received_on, a.source, a.participant, a.value)
        for a in Aid.objects.filter(
            participant__kk_number=participant.kk_number,
            kind=kind,
            received_on__range=(start, end),
        ).select_related("participant")
    ]
    if kind.is_business_capital:
        found += [
            earlier_aid(first, program, member.participant, total)
            for member, first, total, program in grant_aid_for_household(
                participant.kk_number, start, end
            )
        ]
    return sorted(found, key=lambda e: e.received_on)


def double_message(kind: AidKind, doubles) -> str:
    return _(
        "The household already received %(kind)s within %(months)d months: %(earlier)s. If this "
        "is really a second aid, tick 'Save anyway'."
    ) % {
        "kind": kind.name,
        "months": kind.repeat_months,
        "earlier": "; ".join(str(d) for d in doubles),
    }


def aid_check(aid: Aid) -> None:
    """Check one aid record's own fields (value or quantity as its kind is counted)."""
    aid.full_clean()
    chronology.require(aid)
    if aid.kind.in_kind_unit and aid.quantity is None:
        raise ValidationError(
            {"quantity": _("Enter the quantity in %(unit)s.") % {"unit": aid.kind.in_kind_unit}}
        )
    if not aid.kind.in_kind_unit and aid.value is None:
        raise ValidationError({"value": _("Enter the value in rupiah.")})


@transaction.atomic
def aid_record(*, by, participant: Participant, kind: AidKind, confirm_double=False, **fields):
    """Record aid a household received; a possible double is refused unless confirmed."""
    if by is None or not by.has_perm("families.add_aid"):
        raise PermissionDenied(_("You may not record aid."))
    # Two clerks entering the same aid at once: the second waits and then sees the first.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    aid = Aid(participant=participant, kind=kind, created_by=by, **fields)
    aid_check(aid)
    doubles = aid_doubles(participant=participant, kind=kind, received_on=aid.received_on, by=by)
    if doubles and not confirm_double:
        raise ValidationError(double_message(kind, doubles), code="possible_double")
    aid.possible_double = bool(doubles)
    aid.save()
    return aid


# Outcomes --------------------------------------------------------------------------------


def first_disbursed_on(group: ParticipantGroup):
    return Disbursement.objects.filter(grant__group=group).aggregate(first=Min("date"))["first"]


def milestone_due_on(group: ParticipantGroup, milestone: int, first=None):
    first = first or first_disbursed_on(group)
    return add_months(first, milestone) if first else None


def measurements_due(group: ParticipantGroup, today=None) -> list[int]:
    """The follow-up measurements whose time has come and that are not recorded yet."""
    first = first_disbursed_on(group)
    if first is None:
        return []
    today = today or timezone.localdate()
    done = set(group.measurements.values_list("milestone", flat=True))
    return [m for m in Measurement.FOLLOW_UPS if m not in done and add_months(first, m) <= today]


def not_disbursed_message() -> str:
    return _("Outcomes are measured after the grant has been disbursed; nothing is disbursed yet.")


# A measurement may be taken up to a month before its date: visits are planned around the field.
EARLY_DAYS = 31


def measurement_earliest(first: datetime.date, milestone: int) -> datetime.date:
    return add_months(first, milestone) - datetime.timedelta(days=EARLY_DAYS)


def measurements_open(group: ParticipantGroup, today=None) -> list[int]:
    """The follow-up measurements that can be recorded now (from a month before their date)."""
    first = first_disbursed_on(group)
    if first is None:
        return []
    today = today or timezone.localdate()
    done = set(group.measurements.values_list("milestone", flat=True))
    return [
        m
        for m in Measurement.FOLLOW_UPS
        if m not in done and measurement_earliest(first, m) <= today
    ]


def _baseline_rows(group: ParticipantGroup, assessment: NeedsAssessment) -> list[dict]:
    profiles = {
        p.membership.participant_id: p
        for p in MemberProfile.objects.filter(assessment=assessment).select_related(
            "membership__participant"
        )
    }
    rows = []
    for membership in group.memberships.select_related("participant"):
        person = membership.participant
        profile = profiles.get(person.pk)
        income = profile.current_income if profile and profile.current_income is not None else None
        rows.append(
            {
                "participant": person,
                "monthly_income": income if income is not None else person.monthly_income or 0,
                "household_size": person.household_size or 1,
                "dtks_status": person.dtks_status,
            }
        )
    return rows


@transaction.atomic
def baseline_take(*, group: ParticipantGroup, by) -> Measurement:
    """Take the group's baseline from its needs assessment: each member's income, household size
    and DTKS status, and the business chosen."""
    if by is None or not by.has_perm("families.add_measurement"):
        raise PermissionDenied(_("Only a social worker records outcome measurements."))
    ParticipantGroup.objects.select_for_update().filter(pk=group.pk).first()
    existing = group.measurements.filter(milestone=Milestone.BASELINE).first()
    if existing is not None:
        return existing
    assessment = NeedsAssessment.objects.filter(group=group).first()
    if assessment is None or not assessment.profiles.exists():
        raise ValidationError(
            _(
                "The baseline is taken from the needs assessment, which has no member entries "
                "yet. Fill in the assessment first."
            ),
            code="no_assessment",
        )
    measurement = Measurement.objects.create(
        group=group,
        milestone=Milestone.BASELINE,
        measured_on=assessment.end_date or assessment.start_date or timezone.localdate(),
        business=assessment.chosen_business_label or group.business_label,
        recorded_by=by,
    )
    MemberMeasurement.objects.bulk_create(
        MemberMeasurement(measurement=measurement, **row)
        for row in _baseline_rows(group, assessment)
    )
    return measurement


def measurement_rows(group: ParticipantGroup, baseline: Measurement | None) -> list[dict]:
    """The members a follow-up measures (everyone of the baseline, also those who left), with
    the last values recorded as the starting point."""
    last = {}
    for member in (
        MemberMeasurement.objects.filter(measurement__group=group)
        .select_related("participant")
        .order_by("measurement__milestone")
    ):
        last[member.participant_id] = member
    if baseline is None:
        return []
    return [
        {
            "participant": m.participant,
            "monthly_income": m.monthly_income,
            "household_size": m.household_size,
            "dtks_status": m.dtks_status,
            "active": m.active,
        }
        for m in sorted(last.values(), key=lambda m: m.participant.full_name)
    ]


@transaction.atomic
def measurement_record(
    *,
    group: ParticipantGroup,
    milestone: int,
    by,
    measured_on,
    business_running: bool,
    members: list[dict],
    note: str = "",
) -> Measurement:
    """Record the 3-, 6- or 12-month measurement of a group, one row per member measured."""
    if by is None or not by.has_perm("families.add_measurement"):
        raise PermissionDenied(_("Only a social worker records outcome measurements."))
    if milestone not in Measurement.FOLLOW_UPS:
        raise ValidationError(_("Choose the 3-, 6- or 12-month measurement."))
    ParticipantGroup.objects.select_for_update().filter(pk=group.pk).first()
    first = first_disbursed_on(group)
    if first is None:
        raise ValidationError(not_disbursed_message())
    chronology.require(Measurement(group=group, milestone=milestone, measured_on=measured_on))
    earliest = measurement_earliest(first, milestone)
    if measured_on < earliest:
        raise ValidationError(
            {
                "measured_on": _(
                    "The %(months)d-month measurement is due on %(due)s (%(months)d months after "
                    "the first disbursement); record it from %(earliest)s."
                )
                % {
                    "months": milestone,
                    "due": f"{add_months(first, milestone):%d/%m/%Y}",
                    "earliest": f"{earliest:%d/%m/%Y}",
                }
            }
        )
    baseline = group.measurements.filter(milestone=Milestone.BASELINE).first() or baseline_take(
        group=group, by=by
    )
    allowed = set(baseline.members.values_list("participant_id", flat=True))
    if not members or any(row["participant"].pk not in allowed for row in members):
        raise ValidationError(_("Measure the members of the baseline, one row each."))
    try:
        with transaction.atomic():
            measurement = Measurement.objects.create(
                group=group,
                milestone=milestone,
                measured_on=measured_on,
                business=baseline.business,
                business_running=business_running,
                note=note.strip(),
                recorded_by=by,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This measurement has already been recorded (perhaps a moment ago)."),
            code="duplicate",
        ) from exc
    rows = [MemberMeasurement(measurement=measurement, **row) for row in members]
    for row in rows:
        row.full_clean(exclude=["measurement"])
    MemberMeasurement.objects.bulk_create(rows)
    return measurement


# Personal data ----------------------------------------------------------------------------


def person_record(participant: Participant) -> list[tuple[str, str, str]]:
    """(section, item, value) of what this app holds about a person: aid, follow-ups, outcomes."""
    rows = []
    for aid in Aid.objects.filter(participant=participant).select_related("kind"):
        amount = (
            rupiah(aid.value)
            if aid.value is not None
            else f"{aid.quantity} {aid.kind.in_kind_unit}"
        )
        rows.append(
            (
                _("Aid received"),
                aid.kind.name,
                f"{aid.received_on:%d/%m/%Y}, {aid.source}, {amount}",
            )
        )
    for item in FollowUp.objects.filter(participant=participant):
        rows.append(
            (
                _("Follow-up"),
                item.get_service_display(),
                f"{item.need} – {item.get_status_display()}",
            )
        )
    for row in MemberMeasurement.objects.filter(participant=participant).select_related(
        "measurement"
    ):
        rows.append(
            (
                _("Outcome measurement"),
                row.measurement.get_milestone_display(),
                f"{row.measurement.measured_on:%d/%m/%Y}, {rupiah(row.monthly_income)}, "
                f"{row.household_size}, {row.household_change}".rstrip(", "),
            )
        )
    return rows


def person_traces_remove(participant: Participant) -> None:
    """For an anonymised person: delete the evidence about them (cards, letters) and blank the
    free texts that may name them; statuses, kinds, amounts and incomes stay for the figures."""
    follow_ups = FollowUp.objects.filter(participant=participant)
    for evidence in Evidence.objects.filter(follow_up__in=follow_ups):
        evidence.file.delete(save=False)
        evidence.delete()
    follow_ups.update(need="–", referred_to="")
    FollowUpEvent.objects.filter(follow_up__in=follow_ups).update(note="")
    Aid.objects.filter(participant=participant).update(note="")
    MemberMeasurement.objects.filter(participant=participant).update(household_change="")
