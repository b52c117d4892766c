"""Whether the families are better off: figures for any set of groups, in a constant number of
queries however many households they hold.

Each member's latest follow-up is compared with their baseline. A household is above the poverty
line when the member's monthly income divided by the household's size reaches the line of the
year it was measured (the office enters each year's line from BPS's published figure).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from assessments.models import Problem
from families.models import Aid, FollowUp, Measurement, MemberMeasurement, PovertyLine
from families.services import business_capital_name
from grants.models import Grant, HouseholdReach
from metro_slum import charts
from metro_slum.formatting import rupiah
from participants.models import Membership

Milestone = Measurement.Milestone


@dataclass
class Share:
    count: int = 0
    of: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.of) if self.of else None


@dataclass
class Outcomes:
    members_compared: int = 0
    baseline_mean: Decimal | None = None
    latest_mean: Decimal | None = None
    change_median: Decimal | None = None
    change_mean: Decimal | None = None
    above_line_baseline: Share = field(default_factory=Share)
    above_line_latest: Share = field(default_factory=Share)
    missing_lines: list = field(default_factory=list)  # years measured without a line entered
    survival: dict = field(
        default_factory=dict
    )  # 6/12 -> Share of groups with the business running
    active_members: Share = field(default_factory=Share)
    follow_ups: list = field(default_factory=list)  # (category label, resolved, active, other)
    follow_up_totals: dict = field(default_factory=dict)
    aid: list = field(default_factory=list)  # (kind, records, households, value)
    measured_groups: int = 0
    by_group: dict = field(default_factory=dict)

    @property
    def has_measurements(self) -> bool:
        return self.members_compared > 0


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal(1))


def _measured_rows(groups) -> list[dict]:
    return list(
        MemberMeasurement.objects.filter(measurement__group__in=groups)
        .values(
            "participant_id",
            "monthly_income",
            "household_size",
            "active",
            "measurement__group_id",
            "measurement__milestone",
            "measurement__measured_on",
            "measurement__business_running",
        )
        .order_by("measurement__milestone")
    )


def _income_figures(result: Outcomes, rows: list[dict], lines: dict) -> None:
    """Compare each member's latest follow-up with their baseline; count surviving businesses."""
    baseline, latest, missing = {}, {}, set()
    running = {6: {}, 12: {}}
    for row in rows:
        milestone = row["measurement__milestone"]
        if milestone == Milestone.BASELINE:
            baseline[row["participant_id"]] = row
        else:
            latest[row["participant_id"]] = row  # ordered by milestone: the last one stays
        if milestone in running:
            running[milestone][row["measurement__group_id"]] = row["measurement__business_running"]
    pairs = [(baseline[p], latest[p]) for p in latest if p in baseline]
    result.members_compared = len(pairs)
    result.measured_groups = len({later["measurement__group_id"] for _b, later in pairs})
    if pairs:
        changes = [later["monthly_income"] - first["monthly_income"] for first, later in pairs]
        result.change_median = _money(statistics.median(changes))
        result.change_mean = _money(sum(changes) / len(changes))
        result.baseline_mean = _money(sum(f["monthly_income"] for f, _l in pairs) / len(pairs))
        result.latest_mean = _money(sum(l_["monthly_income"] for _f, l_ in pairs) / len(pairs))
        result.active_members = Share(sum(1 for _f, l_ in pairs if l_["active"]), len(pairs))

    def above(row, share: Share):
        line = lines.get(row["measurement__measured_on"].year)
        if line is None:
            missing.add(row["measurement__measured_on"].year)
            return
        share.of += 1
        share.count += row["monthly_income"] / row["household_size"] >= line

    for first, later in pairs:
        above(first, result.above_line_baseline)
        above(later, result.above_line_latest)
    result.missing_lines = sorted(missing)
    result.survival = {
        months: Share(sum(1 for r in by_group.values() if r), len(by_group))
        for months, by_group in running.items()
    }


def _follow_up_counts(groups):
    return (
        FollowUp.objects.filter(group__in=groups)
        .values("group_id", "category")
        .annotate(
            resolved=Count("pk", filter=Q(status=FollowUp.Status.RESOLVED)),
            active=Count("pk", filter=Q(status__in=FollowUp.ACTIVE_STATUSES)),
            other=Count(
                "pk", filter=Q(status__in=(FollowUp.Status.DECLINED, FollowUp.Status.NOT_POSSIBLE))
            ),
        )
        .order_by("category")
    )


def _follow_up_figures(result: Outcomes, counts: list[dict]) -> None:
    labels = dict(Problem.Category.choices)
    by_category = {}
    for row in counts:
        sums = by_category.setdefault(row["category"], [0, 0, 0])
        sums[0] += row["resolved"]
        sums[1] += row["active"]
        sums[2] += row["other"]
    result.follow_ups = [
        (labels.get(category, category), *sums)
        for category, sums in sorted(by_category.items(), key=lambda item: str(labels[item[0]]))
    ]
    result.follow_up_totals = {
        "resolved": sum(r[1] for r in result.follow_ups),
        "active": sum(r[2] for r in result.follow_ups),
        "other": sum(r[3] for r in result.follow_ups),
    }


def _aid_figures(result: Outcomes, groups, whole_program=None, capital=None) -> None:
    members = Membership.objects.filter(group__in=groups).values("participant_id")
    by_kind = (
        Aid.objects.filter(participant__in=members)
        .values("kind__name")
        .annotate(
            records=Count("pk"),
            households=Count("participant__kk_number", distinct=True),
            value=Sum("value"),
        )
        .order_by("kind__name")
    )
    rows = {r["kind__name"]: [r["records"], r["households"], r["value"] or 0] for r in by_kind}
    # Each grant keeps its total disbursed (one grant per group): no disbursement is read.
    if capital is None:
        grants = Grant.objects.filter(group__in=groups, disbursed_amount__gt=0).aggregate(
            groups=Count("pk"), total=Sum("disbursed_amount")
        )
    else:
        grants = {"groups": capital[0], "total": capital[1]}
    if grants["groups"]:
        name = business_capital_name()
        if whole_program is not None:
            # Every group of the programme: its households reached, kept as they change.
            households = HouseholdReach.objects.filter(program=whole_program).count()
        else:
            households = (
                Membership.objects.filter(
                    group__in=groups, group__grants__first_tranche_on__isnull=False
                )
                .values("participant__kk_number")
                .distinct()
                .count()
            )
        row = rows.setdefault(name, [0, 0, 0])
        row[0] += grants["groups"]
        row[1] += households
        row[2] += grants["total"] or 0
    result.aid = [(name, *values) for name, values in sorted(rows.items())]


def outcomes_of(groups, *, per_group: bool = False, whole_program=None, capital=None) -> Outcomes:
    """Return the outcome figures of a queryset of groups; with per_group, each group's own
    figures too (in `by_group`, by the group's pk), from the same queries. `whole_program`: the
    programme, when the groups are all of its groups (its households reached are then read from
    what grants keeps, not counted again from every member). `capital`: (groups funded, money
    disbursed) of the same groups when already summed (programme_totals)."""
    result = Outcomes()
    rows = _measured_rows(groups)
    lines = dict(PovertyLine.objects.values_list("year", "amount"))
    counts = list(_follow_up_counts(groups))
    _income_figures(result, rows, lines)
    _follow_up_figures(result, counts)
    _aid_figures(result, groups, whole_program, capital)
    if per_group:
        rows_of, counts_of = defaultdict(list), defaultdict(list)
        for row in rows:
            rows_of[row["measurement__group_id"]].append(row)
        for row in counts:
            counts_of[row["group_id"]].append(row)
        for pk in rows_of.keys() | counts_of.keys():
            figures = result.by_group[pk] = Outcomes()
            _income_figures(figures, rows_of[pk], lines)
            _follow_up_figures(figures, counts_of[pk])
    return result


def _short(label, width: int = 14) -> str:
    """A label that fits the chart's label column on a phone: the words before a bracket, or
    the short name in it ("Jaminan kesehatan (BPJS PBI)" → "BPJS PBI"), or cut at a word."""
    label = str(label)
    head, _bracket, rest = label.partition(" (")
    inner = rest.rstrip(")")
    for candidate in (head, inner):
        if candidate and len(candidate) <= width:
            return candidate
    cut = head[: width - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def _percent(value) -> str:
    return f"{value}%"


def charts_of(result: Outcomes) -> dict:
    """The figures as bars readable on a 360 px screen: money, households, follow-ups, aid."""
    then, now = _("baseline"), _("latest measurement")
    series = [charts.Series(then, "#6c757d"), charts.Series(now, "#198754")]
    made = {}
    if result.has_measurements:
        made["income"] = charts.bar_chart(
            _("Members' monthly income"),
            [
                (_("mean"), [result.baseline_mean, result.latest_mean]),
            ],
            series,
            fmt=rupiah,
        )
        if result.above_line_latest.of:
            made["poverty"] = charts.bar_chart(
                _("Households above the poverty line"),
                [
                    (
                        _("share"),
                        [result.above_line_baseline.percent, result.above_line_latest.percent],
                    )
                ],
                series,
                fmt=_percent,
            )
    if result.follow_ups:
        made["follow_ups"] = charts.bar_chart(
            _("Follow-ups by category"),
            [
                (_short(label), [resolved, active])
                for label, resolved, active, _o in result.follow_ups
            ],
            [charts.Series(_("resolved"), "#198754"), charts.Series(_("open"), "#fd7e14")],
        )
    if result.aid:
        made["aid"] = charts.bar_chart(
            _("Households reached, by kind of aid"),
            [(_short(kind), [households]) for kind, _r, households, _v in result.aid],
            [charts.Series(_("households"), "#0d6efd")],
        )
    return made
