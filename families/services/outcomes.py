import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import MemberProfile, NeedsAssessment
from families.models import (
    Measurement,
    MemberMeasurement,
)
from families.services.calendar import add_months
from grants.models import Disbursement
from metro_slum import chronology
from participants import ranks
from participants.models import ParticipantGroup

Milestone = Measurement.Milestone


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
    memberships = list(group.memberships.select_related("participant"))
    rows = []
    for membership in memberships:
        person = membership.participant
        profile = profiles.get(person.pk)
        income = profile.current_income if profile and profile.current_income is not None else None
        rows.append(
            {
                "participant": person,
                "monthly_income": income if income is not None else person.monthly_income or 0,
                "household_size": person.household_size or 1,
            }
        )
    return rows


def _with_dtsen(rows: list[MemberMeasurement], day) -> list[MemberMeasurement]:
    """Each row with its household's DTSEN reading as of the day measured (participants.ranks),
    never typed."""
    readings = ranks.readings_as_of((row.participant.kk_number for row in rows), day)
    for row in rows:
        reading = readings.get(row.participant.kk_number)
        if reading is not None:
            row.dtsen_in, row.dtsen_desil = reading.in_dtsen, reading.desil
            row.dtsen_as_of = reading.as_of
    return rows


@transaction.atomic
def baseline_take(*, group: ParticipantGroup, by) -> Measurement:
    """Take the group's baseline from its needs assessment: each member's income, household size
    and DTSEN reading, and the business chosen."""
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
        _with_dtsen(
            [
                MemberMeasurement(measurement=measurement, **row)
                for row in _baseline_rows(group, assessment)
            ],
            measurement.measured_on,
        )
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
    rows = _with_dtsen(
        [MemberMeasurement(measurement=measurement, **row) for row in members], measured_on
    )
    for row in rows:
        row.full_clean(exclude=["measurement"])
    MemberMeasurement.objects.bulk_create(rows)
    return measurement
