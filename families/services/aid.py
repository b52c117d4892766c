import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Sum
from django.utils.translation import gettext as _

from families.models import (
    Aid,
    AidKind,
)
from families.services.calendar import add_months
from grants.models import Disbursement
from metro_slum import chronology
from metro_slum.formatting import rupiah
from participants.models import Membership, Participant
from participants.selectors import household_members


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
