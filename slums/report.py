"""The trend report for the slum working group: per RT its baseline beside its latest reviewed
survey, which RTs left the slum classes and which worsened, and the change by criterion; always
with the guideline version it was scored with."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metro_slum.reports import Report
from metro_slum.spreadsheets import DATE, NUMBER, Column
from participants.models import RT
from participants.selectors import in_users_kelurahan
from slums import scoring
from slums.models import SLUM_CLASSES, Criterion, SubCriterion
from slums.selectors import locations_of, rt_rows


@dataclass
class TrendLine:
    row: object  # selectors.RtRow
    baseline_result: scoring.Result | None
    by_criterion: dict  # criterion number -> change in its score

    @property
    def trend(self) -> str:
        row = self.row
        if row.change is None:
            return "once"
        if row.baseline.slum_class in SLUM_CLASSES and row.latest.slum_class not in SLUM_CLASSES:
            return "left"
        if row.change > 0:
            return "worse"
        if row.change < 0:
            return "better"
        return "same"


def _criterion_scores(result) -> dict:
    scores = defaultdict(int)
    for line in result.lines:
        scores[line.sub.criterion.number] += line.score
    return scores


def trend(*, user, place=None):
    """Every surveyed RT the user sees (of one kelurahan, or all), with the rule in force."""
    rule = scoring.Rule.in_force()
    rts = RT.objects.filter(in_users_kelurahan(user, "rw__kelurahan")).select_related(
        "rw__kelurahan"
    )
    if place is not None:
        rts = rts.filter(rw__kelurahan=place)
    subs = list(SubCriterion.objects.select_related("criterion").order_by("code"))
    lines = []
    for row in rt_rows(rts, with_interventions=False):
        if row.latest is None:
            continue
        baseline_result = None
        changes = {}
        if row.change is not None:
            answers = {a.sub_id: a for a in row.baseline.answers.all()}
            baseline_result = scoring.score(row.baseline, answers, subs, rule)
            before, after = _criterion_scores(baseline_result), _criterion_scores(row.result)
            changes = {
                number: after[number] - before[number]
                for number in sorted(set(before) | set(after))
                if after[number] != before[number]
            }
        lines.append(TrendLine(row, baseline_result, changes))
    criteria = list(Criterion.objects.order_by("number"))
    return rule, lines, criteria


TRENDS = {
    "once": gettext_lazy("surveyed once"),
    "left": gettext_lazy("left the slum classes"),
    "worse": gettext_lazy("worsened"),
    "better": gettext_lazy("improved"),
    "same": gettext_lazy("unchanged"),
}


def trend_report(*, user, place=None) -> Report:
    """For the slum working group: each surveyed RT's baseline beside its latest reviewed
    survey, the RTs that left the slum classes and those that worsened, the change by
    criterion; the summary names the bands' version every score was computed with."""
    rule, lines, criteria = trend(user=user, place=place)
    names = {criterion.number: criterion.shown_name for criterion in criteria}

    def by_criterion(changes) -> str:
        return "; ".join(
            f"{number} {names.get(number, '')}: {'+' if change > 0 else ''}{change}"
            for number, change in changes.items()
        )

    columns = [
        Column(_("Kelurahan"), 16),
        Column(_("RT"), 13),
        Column(_("Baseline"), 11, DATE),
        Column(_("Score"), 7, NUMBER),
        Column(_("Class"), 13),
        Column(_("Latest"), 11, DATE),
        Column(_("Score"), 7, NUMBER),
        Column(_("Class"), 13),
        Column(_("Change"), 7, NUMBER),
        Column(_("Trend"), 14),
        Column(_("By criterion"), 34),
        Column(_("Land and other considerations (outside the score)"), 40),
    ]
    locations = locations_of([line.row.rt for line in lines])
    table = []
    totals = defaultdict(int)
    for line in lines:
        row, again = line.row, line.row.change is not None
        table.append(
            (
                row.rt.rw.kelurahan.name,
                row.rt.label,
                row.baseline.surveyed_on,
                row.baseline.score,
                rule.class_label(row.baseline.slum_class),
                row.latest.surveyed_on if again else None,
                row.latest.score if again else None,
                rule.class_label(row.latest.slum_class) if again else "",
                row.change,
                str(TRENDS[line.trend]),
                by_criterion(line.by_criterion),
                locations[row.rt.pk].summary() if row.rt.pk in locations else "–",
            )
        )
        for number, change in line.by_criterion.items():
            totals[number] += change

    def named(trend_key) -> str:
        return (
            ", ".join(
                f"{x.row.rt.label} {x.row.rt.rw.kelurahan.name}"
                for x in lines
                if x.trend == trend_key
            )
            or "–"
        )

    summary = [
        (_("Scored with"), rule.label),
        (_("RTs surveyed"), str(len(lines))),
        (_("Surveyed again since the baseline"), str(sum(1 for x in lines if x.trend != "once"))),
        (_("Left the slum classes"), named("left")),
        (_("Worsened"), named("worse")),
        (
            _("Change by criterion (sum over the RTs surveyed again)"),
            by_criterion(dict(sorted(totals.items()))) or "–",
        ),
    ]
    subtitle = _("Slum-quality score per RT: baseline and latest reviewed survey")
    if place is not None:
        subtitle = f"{_('Kelurahan')} {place.name} · {subtitle}"
    # The bands' version goes with the figures wherever they go (the XLSX carries the subtitle).
    subtitle = f"{subtitle} · {_('Scored with')} {rule.label}"
    return Report(
        key="kumuh",
        title=_("Slum trend report"),
        subtitle=subtitle,
        columns=columns,
        rows=table,
        summary=summary,
    )
