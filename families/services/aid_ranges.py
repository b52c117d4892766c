"""Who may receive which aid: each kind's DTSEN desil range on a day (families.AidDesilRange, data
the office keeps), and the two flags read against it, the same on a household's page and in the
aid register:

- **received outside its range**: the household's reading on the day the aid came (its latest as
  of that day) is not in DTSEN, or its desil is outside the kind's range then. Without a reading
  that day, or with a desil unknown, nothing is said;
- **in range but receiving nothing**: the household's latest desil is within a kind's range today,
  and no member received that kind within the kind's period (its "expected once per" months).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Aid, AidDesilRange
from families.services.calendar import add_months
from participants import ranks
from participants.models import HouseholdRank


def _range_on(day_path: str):
    return (
        AidDesilRange.objects.filter(kind=OuterRef("kind"), valid_from__lte=OuterRef(day_path))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef(day_path)))
        .order_by("-valid_from", "-pk")
    )


def with_range_check(aid: QuerySet) -> QuerySet:
    """The aid, each with its kind's range on the day received (range_from, range_to), the
    household's reading that day (read_in_dtsen, read_desil) and `outside_range`."""
    reading = HouseholdRank.objects.filter(
        kk_number=OuterRef("participant__kk_number"), as_of__lte=OuterRef("received_on")
    ).order_by("-as_of", "-recorded_at", "-pk")
    kind_range = _range_on("received_on")
    return aid.annotate(
        range_from=Subquery(kind_range.values("desil_from")[:1]),
        range_to=Subquery(kind_range.values("desil_to")[:1]),
        read_in_dtsen=Subquery(reading.values("in_dtsen")[:1]),
        read_desil=Subquery(reading.values("desil")[:1]),
    ).annotate(
        outside_range=Case(
            When(Q(range_from__isnull=True) | Q(read_in_dtsen__isnull=True), then=Value(False)),
            When(read_in_dtsen=False, then=Value(True)),
            When(read_desil__isnull=True, then=Value(False)),
            When(
                Q(read_desil__lt=F("range_from")) | Q(read_desil__gt=F("range_to")),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def outside_words(aid) -> str:
    """Why an annotated aid is flagged: "received outside its range: desil 6 on that day, the
    kind is for desil 1–4"."""
    if not aid.outside_range:
        return ""
    held = (
        _("desil %(desil)d on that day") % {"desil": aid.read_desil}
        if aid.read_in_dtsen
        else _("not in DTSEN on that day")
    )
    return _("received outside its range: %(held)s, the kind is for desil %(low)d–%(high)d") % {
        "held": held,
        "low": aid.range_from,
        "high": aid.range_to,
    }


@dataclass(frozen=True)
class Missing:
    """A kind the household is in range of and receives nothing of."""

    kind: str
    low: int
    high: int
    months: int

    def __str__(self):
        return _(
            "in range but receiving nothing: %(kind)s (desil %(low)d–%(high)d), nothing in the "
            "last %(months)d months"
        ) % {"kind": self.kind, "low": self.low, "high": self.high, "months": self.months}


def ranges_today(today: datetime.date) -> list[AidDesilRange]:
    """The range of each kind in use that applies today."""
    current = {}
    for kind_range in (
        AidDesilRange.objects.filter(kind__is_active=True, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("kind")
        .order_by("kind", "-valid_from", "-pk")
    ):
        current.setdefault(kind_range.kind_id, kind_range)
    return list(current.values())


def missing_aid(kk_numbers, today: datetime.date | None = None) -> dict[str, list[Missing]]:
    """For each household named, the kinds it is in range of today and received nothing of within
    the kind's period, in a fixed number of queries."""
    today = today or timezone.localdate()
    current = ranges_today(today)
    latest = ranks.latest_ranks(kk_numbers)
    if not current or not latest:
        return {}
    oldest = min(add_months(today, -r.kind.repeat_months) for r in current)
    received = set(
        Aid.objects.filter(
            participant__kk_number__in=list(latest),
            kind__in=[r.kind_id for r in current],
            received_on__gte=oldest,
        ).values_list("participant__kk_number", "kind_id", "received_on")
    )
    last = {}
    for kk, kind_id, day in received:
        last[(kk, kind_id)] = max(day, last.get((kk, kind_id), day))
    found = {}
    for kk, reading in latest.items():
        if not reading.in_dtsen or reading.desil is None:
            continue
        for kind_range in current:
            if not kind_range.desil_from <= reading.desil <= kind_range.desil_to:
                continue
            since = add_months(today, -kind_range.kind.repeat_months)
            if last.get((kk, kind_range.kind_id), datetime.date.min) >= since:
                continue
            found.setdefault(kk, []).append(
                Missing(
                    kind=kind_range.kind.name,
                    low=kind_range.desil_from,
                    high=kind_range.desil_to,
                    months=kind_range.kind.repeat_months,
                )
            )
    return found
