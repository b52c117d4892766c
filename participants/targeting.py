"""Targeting: are the programme's members the families it is for, and are they moving up?

For the dashboards: members by their household's latest desil, the share within the programme's
limit, the exceptions with their reasons, the proposals still pending; and the desil movement of
members' households from the period they joined in (the baseline) to the latest reading. Counted in
the database, a few queries whatever the programme's size (the movement reads the readings of the
members' households once).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from participants import ranks
from participants.models import (
    EligibilityException,
    HouseholdRank,
    Membership,
    Proposal,
    ProposalBatch,
)
from participants.models.office import dtsen_setting
from participants.models.ranks import HIGHEST_DESIL, LOWEST_DESIL
from participants.periods import period_index

UNRANKED, NOT_IN_DTSEN, NO_READING = "unranked", "out", "none"
EXCEPTIONS_SHOWN = 20


@dataclass
class KelurahanTargeting:
    name: str
    members: int = 0
    within: int = 0
    exceptions: int = 0
    pending: int = 0

    @property
    def share(self) -> float | None:
        return self.within / self.members if self.members else None

    @property
    def share_percent(self) -> str:
        return f"{round(100 * self.share)}%" if self.members else "–"


@dataclass
class Targeting:
    max_desil: int
    by_desil: dict = field(default_factory=dict)  # 1..10, UNRANKED, NOT_IN_DTSEN, NO_READING
    kelurahan: list = field(default_factory=list)
    exceptions: list = field(default_factory=list)
    exception_count: int = 0
    pending: int = 0

    @property
    def members(self) -> int:
        return sum(self.by_desil.values())

    @property
    def within(self) -> int:
        return sum(
            n for d, n in self.by_desil.items() if isinstance(d, int) and d <= self.max_desil
        )

    @property
    def share(self) -> float | None:
        return self.within / self.members if self.members else None

    @property
    def share_percent(self) -> str:
        return f"{round(100 * self.share)}%" if self.members else "–"

    def chart_rows(self) -> list[tuple[str, list[int]]]:
        rows = [
            (_("Desil %(desil)s") % {"desil": d}, [self.by_desil.get(d, 0)])
            for d in range(LOWEST_DESIL, HIGHEST_DESIL + 1)
        ]
        rows += [
            (_("rank unknown"), [self.by_desil.get(UNRANKED, 0)]),
            (_("not in DTSEN"), [self.by_desil.get(NOT_IN_DTSEN, 0)]),
            (_("no reading"), [self.by_desil.get(NO_READING, 0)]),
        ]
        return [row for row in rows if row[1][0]] or rows[:1]


def _key(in_dtsen, desil):
    if in_dtsen is None:
        return NO_READING
    if not in_dtsen:
        return NOT_IN_DTSEN
    return UNRANKED if desil is None else desil


def targeting(program, groups) -> Targeting:
    """The targeting figures of a programme's groups (those the user may see)."""
    memberships = Membership.objects.filter(program=program, group__in=groups)
    counted = (
        memberships.annotate(**ranks.rank_columns("participant__kk_number"))
        .values("group__kelurahan__name", "rank_in_dtsen", "rank_desil")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = Targeting(max_desil=program.max_desil)
    places: dict[str, KelurahanTargeting] = {}
    by_desil = Counter()
    for row in counted:
        name = row["group__kelurahan__name"]
        place = places.setdefault(name, KelurahanTargeting(name))
        key = _key(row["rank_in_dtsen"], row["rank_desil"])
        by_desil[key] += row["n"]
        place.members += row["n"]
        if isinstance(key, int) and key <= program.max_desil:
            place.within += row["n"]
    found.by_desil = dict(by_desil)
    exceptions = EligibilityException.objects.filter(
        program=program, participant__memberships__in=memberships
    ).distinct()
    for row in exceptions.values("participant__kelurahan__name").annotate(n=Count("pk")).order_by():
        place = places.setdefault(
            row["participant__kelurahan__name"],
            KelurahanTargeting(row["participant__kelurahan__name"]),
        )
        place.exceptions = row["n"]
    found.exception_count = sum(p.exceptions for p in places.values())
    found.exceptions = list(
        exceptions.select_related("participant__kelurahan", "granted_by").order_by(
            "participant__kelurahan__name", "participant__full_name"
        )[:EXCEPTIONS_SHOWN]
    )
    pending = (
        Proposal.objects.filter(
            status=Proposal.Status.PENDING,
            batch__kelurahan__groups__in=groups,
        )
        .exclude(batch__status=ProposalBatch.Status.ANSWERED)
        .values("batch__kelurahan__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in pending:
        place = places.setdefault(
            row["batch__kelurahan__name"], KelurahanTargeting(row["batch__kelurahan__name"])
        )
        place.pending = row["n"]
    found.pending = sum(p.pending for p in places.values())
    found.kelurahan = sorted(places.values(), key=lambda p: p.name)
    return found


@dataclass
class Movement:
    """How members' households moved from the period they joined to their latest reading."""

    max_desil: int
    compared: int = 0
    out_of_limit: int = 0  # were within the limit, are above it now: lifted out
    up: int = 0  # any higher desil (better off)
    same: int = 0
    down: int = 0
    transitions: list = field(default_factory=list)  # (baseline, latest, count)


def movement(memberships, max_desil: int) -> Movement:
    """The desil movement of the memberships' households: baseline (the latest reading of the
    period of the office's cycle they joined in, or before; else the earliest after) against the
    latest reading."""
    members = list(memberships.values_list("participant__kk_number", "joined_on"))
    readings = defaultdict(list)
    kks = {kk for kk, _day in members}
    query = HouseholdRank.objects.filter(
        kk_number__in=memberships.values("participant__kk_number"), in_dtsen=True,
        desil__isnull=False,
    ).order_by("as_of", "recorded_at", "pk")  # fmt: skip
    months = dtsen_setting().cycle_months
    for kk, as_of, desil in query.values_list("kk_number", "as_of", "desil"):
        if kk in kks:
            readings[kk].append((period_index(as_of, months), desil))
    found = Movement(max_desil=max_desil)
    moves = Counter()
    for kk, joined_on in members:
        history = readings.get(kk)
        if not history:
            continue
        joined = period_index(joined_on, months)
        before = [desil for period, desil in history if period <= joined]
        baseline = before[-1] if before else history[0][1]
        latest = history[-1][1]
        found.compared += 1
        moves[(baseline, latest)] += 1
        if latest > baseline:
            found.up += 1
            if baseline <= max_desil < latest:
                found.out_of_limit += 1
        elif latest < baseline:
            found.down += 1
        else:
            found.same += 1
    found.transitions = sorted((b, latest, n) for (b, latest), n in moves.items() if b != latest)
    return found
