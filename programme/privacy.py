"""Personal data under UU No. 27/2022: everything held about one person, on request, and the
anonymisation of people whose programmes ended longer ago than the retention period."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Activity, MemberProfile
from families import services as family_services
from grants import services as grant_services
from grants.models import Disbursement
from metro_slum.export_kinds import export_kind
from metro_slum.exports import export_rows
from metro_slum.formatting import rupiah
from metro_slum.roles import may_see_full_numbers
from metro_slum.spreadsheets import TEXT, Column, Sheet
from participants import services as participant_services
from participants.models import HouseholdRank, Membership, Participant, Program

# The kind of list this page takes out of the office, as the export log names it.
PERSON_DATA = export_kind(
    "person_data", gettext_lazy("All data held about one person"), "data_pribadi"
)
COLUMNS = (Column(_("Section"), 22, TEXT), Column(_("Item"), 30, TEXT), Column(_("Value"), 60))


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def person_record(participant: Participant) -> list[tuple[str, str, str]]:
    """Return (section, item, value) for everything the application holds about the person."""
    rows = []
    identity = _("Personal data")
    for field in Participant._meta.concrete_fields:
        if field.name in ("id",):
            continue
        value = getattr(participant, field.name)
        if field.choices:
            value = getattr(participant, f"get_{field.name}_display")()
        rows.append((identity, str(field.verbose_name), _text(value)))
    for reading in HouseholdRank.objects.filter(kk_number=participant.kk_number):
        rows.append(
            (_("DTSEN rank of the household"), f"{reading.as_of:%d/%m/%Y}",
             f"{reading.standing}, {reading.get_source_display()}"
             + (f", {_('DTSEN ID')} {reading.dtsen_id}" if reading.dtsen_id else ""))
        )  # fmt: skip
    for membership in Membership.objects.filter(participant=participant).select_related(
        "group__program", "group__kelurahan"
    ):
        rows.append(
            (
                _("Group"),
                str(membership.group.program),
                f"{membership.group.name} ({membership.group.kelurahan.name}), "
                f"{membership.get_role_display()}, {_text(membership.joined_on)}",
            )
        )
    for profile in MemberProfile.objects.filter(membership__participant=participant):
        rows += [
            (_("Needs assessment"), str(MemberProfile._meta.get_field(name).verbose_name),
             _text(getattr(profile, name)))
            for name in ("attended", "interests", "skills", "business_experience",
                         "current_income", "preferred_business", "willing_to_run_business")
        ]  # fmt: skip
    for activity in Activity.objects.filter(responsible__participant=participant):
        rows.append((_("Action plan"), _("responsible for"), activity.description))
    for tranche in Disbursement.objects.filter(received_by__participant=participant):
        rows.append(
            (_("Disbursement received"), tranche.reference_number,
             f"{_text(tranche.date)}, {rupiah(tranche.amount)}")
        )  # fmt: skip
    rows += family_services.person_record(participant)
    for record in participant.history.select_related("history_user").order_by("history_date"):
        rows.append(
            (
                _("History"),
                _text(record.history_date),
                f"{record.get_history_type_display()} – "
                f"{record.history_user.username if record.history_user else '–'}"
                + (f" ({record.history_change_reason})" if record.history_change_reason else ""),
            )
        )
    return rows


def person_export(*, user, participant: Participant):
    """Everything held about one person as XLSX, for staff answering that person; logged."""
    if not may_see_full_numbers(user):
        raise PermissionDenied
    sheet = Sheet(
        name=_("Personal data"),
        title=_("All data held about %(name)s") % {"name": participant.full_name},
        subtitle=_("Dinas Sosial Kota Metro, %(date)s") % {"date": _text(timezone.localdate())},
        columns=COLUMNS,
    )
    return export_rows(
        user=user,
        kind=PERSON_DATA,
        sheet=sheet,
        rows=person_record(participant),
        scope_label=_("Personal data of participant %(id)d") % {"id": participant.pk},
        file_format="xlsx",
    )


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def past_retention(years: int, today: datetime.date | None = None):
    """People to anonymise: every programme they took part in ended more than `years` ago (or,
    never in a group, registered that long ago), and not anonymised yet."""
    cutoff = years_before(today or timezone.localdate(), years)
    recent = Membership.objects.filter(participant=OuterRef("pk"), program__end_date__gte=cutoff)
    return (
        Participant.objects.filter(anonymised_at__isnull=True)
        .annotate(last_end=Max("memberships__program__end_date"))
        .exclude(Exists(recent))
        .filter(Q(last_end__lt=cutoff) | Q(last_end__isnull=True, created_at__date__lt=cutoff))
    )


@transaction.atomic
def anonymise_past_retention(*, years: int, today=None) -> tuple[int, int]:
    """Anonymise the people past retention and delete the KTP copies of programmes that ended
    before it; return (people, documents). Grants, counts and amounts stay."""
    today = today or timezone.localdate()
    people = list(past_retention(years, today))
    for person in people:
        participant_services.participant_anonymise(participant=person)
        family_services.person_traces_remove(person)
    cutoff = years_before(today, years)
    documents = sum(
        grant_services.identity_documents_purge(program=program)
        for program in Program.objects.filter(end_date__lt=cutoff)
    )
    return len(people), documents
