from django.utils.translation import gettext as _

from families.models import (
    Aid,
    Evidence,
    FollowUp,
    FollowUpEvent,
    MemberMeasurement,
)
from metro_slum.formatting import rupiah
from participants.models import Participant


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
