"""What the slum pages, the map and the trend report read: who sees which RT, each RT's latest
reviewed score beside its baseline, and everything done there since the baseline.

An RT's interventions are read for a whole kelurahan in a fixed number of queries, however many
RTs and people it has: its residents are the participants whose address carries its RW and RT.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format

from families.models import Aid, FollowUp
from participants.models import RT, Kelurahan, Membership, Participant
from participants.selectors import in_users_kelurahan, sees_every_kelurahan
from slums import scoring
from slums.models import (
    SLUM_CLASSES,
    Boundary,
    LocationAssessment,
    SlumClass,
    SubCriterion,
    Survey,
    Target,
    Work,
)


def rts_for_user(user):
    return RT.objects.filter(in_users_kelurahan(user, "rw__kelurahan")).select_related(
        "rw__kelurahan"
    )


def _in_scope(user, kelurahan_id) -> bool:
    return (
        sees_every_kelurahan(user)
        or user.kelurahan_assignments.filter(kelurahan_id=kelurahan_id).exists()
    )


def place_get_for_user(user, code):
    """A kelurahan the user may see: 404 if there is none, 403 outside their kelurahan."""
    if not user.has_perm("slums.view_survey"):
        raise PermissionDenied
    if not str(code).isdigit() or len(str(code)) > 10:
        raise Http404  # a kelurahan's code is ten digits: nothing else is looked up
    kelurahan = get_object_or_404(Kelurahan, code=code)
    if not _in_scope(user, kelurahan.pk):
        raise PermissionDenied
    return kelurahan


def _scoped(user, queryset, pk, kelurahan_of):
    """A record the user may see: 404 if there is none, 403 outside their kelurahan."""
    if not user.has_perm("slums.view_survey"):
        raise PermissionDenied
    record = get_object_or_404(queryset, pk=pk)
    if not _in_scope(user, kelurahan_of(record)):
        raise PermissionDenied
    return record


def rt_get_for_user(user, pk) -> RT:
    return _scoped(
        user, RT.objects.select_related("rw__kelurahan"), pk, lambda rt: rt.rw.kelurahan_id
    )


def survey_get_for_user(user, pk) -> Survey:
    return _scoped(
        user,
        Survey.objects.select_related("rt__rw__kelurahan"),
        pk,
        lambda survey: survey.rt.rw.kelurahan_id,
    )


def _key(rw, rt):
    try:
        return int(rw), int(rt)
    except (TypeError, ValueError):
        return None


def place_of(participant: Participant) -> RT | None:
    """The RT a participant's address names, if the office has it."""
    key = _key(participant.rw, participant.rt)
    if key is None:
        return None
    return (
        RT.objects.filter(rw__kelurahan_id=participant.kelurahan_id)
        .select_related("rw")
        .filter(rw__code=f"{key[0]:03d}", code=f"{key[1]:03d}")
        .first()
    )


@dataclass
class Intervention:
    on: object  # date
    kind: str  # "group", "follow_up", "aid", "work"
    what: str
    by: str
    criteria: frozenset = frozenset()  # Criterion ids it acts on
    url: str = ""


@dataclass
class RtRow:
    rt: RT
    latest: Survey | None = None
    baseline: Survey | None = None
    result: scoring.Result | None = None
    interventions: list = field(default_factory=list)
    residents: int = 0
    boundary: Boundary | None = None
    untouched: list = field(default_factory=list)  # SubCriterion scored above 0, nobody acted on

    @property
    def since(self):
        return self.baseline.surveyed_on if self.baseline else None

    @property
    def change(self) -> int | None:
        if self.latest is None or self.baseline is None or self.latest.pk == self.baseline.pk:
            return None
        return self.latest.score - self.baseline.score

    @property
    def is_slum(self) -> bool:
        return self.latest is not None and self.latest.slum_class in SLUM_CLASSES

    def count(self, kind: str) -> int:
        return sum(1 for item in self.interventions if item.kind == kind)


def _rule():
    return scoring.Rule.in_force()


def _reviewed_by_rt(rt_ids) -> dict:
    surveys = defaultdict(list)
    for survey in (
        Survey.objects.filter(rt_id__in=rt_ids, status=Survey.Status.REVIEWED)
        .prefetch_related("answers")
        .order_by("surveyed_on", "pk")
    ):
        surveys[survey.rt_id].append(survey)
    return surveys


def _targets():
    by_kind, by_service = defaultdict(set), defaultdict(set)
    for target in Target.objects.all():
        if target.aid_kind_id:
            by_kind[target.aid_kind_id].add(target.criterion_id)
        if target.follow_up_service:
            by_service[target.follow_up_service].add(target.criterion_id)
    return by_kind, by_service


def rt_rows(rts, *, with_interventions: bool = True) -> list[RtRow]:
    """One row per RT: its latest reviewed survey scored, its baseline, and (optionally) every
    intervention since the baseline. A fixed number of queries whatever the number of RTs."""
    rts = list(rts)
    rows = {rt.pk: RtRow(rt) for rt in rts}
    if not rts:
        return []
    rule = _rule()
    subs = list(SubCriterion.objects.select_related("criterion").order_by("code"))
    for rt_id, surveys in _reviewed_by_rt(rows).items():
        row = rows[rt_id]
        row.baseline = next((s for s in surveys if s.is_baseline), surveys[0])
        row.latest = surveys[-1]
        answers = {answer.sub_id: answer for answer in row.latest.answers.all()}
        row.result = scoring.score(row.latest, answers, subs, rule)
    for boundary in Boundary.objects.filter(rt_id__in=rows):
        rows[boundary.rt_id].boundary = boundary
    if with_interventions:
        _place_interventions(rows, rts)
        for row in rows.values():
            acted = set().union(*(item.criteria for item in row.interventions))
            if row.result:
                row.untouched = [
                    line.sub
                    for line in row.result.lines
                    if line.score and line.sub.criterion_id not in acted
                ]
    return [rows[rt.pk] for rt in rts]


def _place_interventions(rows: dict, rts: list) -> None:
    """Read the kelurahan's groups, follow-ups, aid and works once, and place each in its RT."""
    by_key = {(rt.rw.kelurahan_id, int(rt.rw.code), int(rt.code)): rt.pk for rt in rts}
    kelurahan_ids = {rt.rw.kelurahan_id for rt in rts}
    place = {}
    for pk, kelurahan_id, rw, rt in Participant.objects.filter(
        kelurahan_id__in=kelurahan_ids
    ).values_list("pk", "kelurahan_id", "rw", "rt"):
        key = _key(rw, rt)
        rt_id = by_key.get((kelurahan_id, *key)) if key else None
        if rt_id is not None:
            place[pk] = rt_id
            rows[rt_id].residents += 1
    by_kind, by_service = _targets()

    def add(rt_id, item):
        row = rows[rt_id]
        if row.since is None or item.on >= row.since:
            row.interventions.append(item)

    group_rts = defaultdict(set)
    for membership in Membership.objects.filter(participant_id__in=place).select_related(
        "group__program"
    ):
        group_rts[membership.group].add(place[membership.participant_id])
    for group, rt_ids in group_rts.items():
        for rt_id in rt_ids:
            add(
                rt_id,
                Intervention(
                    group.created_at.date(),
                    "group",
                    f"{group.name} ({group.business_label})",
                    str(group.program),
                ),
            )
    members_of = defaultdict(set)
    for group, rt_ids in group_rts.items():
        members_of[group.pk] |= rt_ids
    for follow_up in FollowUp.objects.filter(group__kelurahan_id__in=kelurahan_ids).select_related(
        "group"
    ):
        if follow_up.participant_id:
            rt_ids = {place.get(follow_up.participant_id)} - {None}
        else:
            rt_ids = members_of.get(follow_up.group_id, set())
        for rt_id in rt_ids:
            add(
                rt_id,
                Intervention(
                    follow_up.opened_on,
                    "follow_up",
                    f"{follow_up.get_service_display()}: {follow_up.get_status_display()}",
                    follow_up.referred_to or "",
                    frozenset(by_service.get(follow_up.service, ())),
                ),
            )
    for aid in Aid.objects.filter(participant_id__in=place).select_related("kind"):
        add(
            place[aid.participant_id],
            Intervention(
                aid.received_on,
                "aid",
                aid.kind.name,
                aid.source,
                frozenset(by_kind.get(aid.kind_id, ())),
            ),
        )
    for work in Work.objects.filter(rt_id__in=rows):
        add(
            work.rt_id,
            Intervention(
                work.completed_on,
                "work",
                work.what,
                work.delivered_by,
                frozenset({work.criterion_id}),
            ),
        )
    for row in rows.values():
        row.interventions.sort(key=lambda item: item.on, reverse=True)


@dataclass
class PlaceSummary:
    """A kelurahan's RTs by class now and at their baseline, and the area still slum."""

    kelurahan: object
    rows: list
    rule: scoring.Rule

    def _classes(self, attr):
        counts = {key: 0 for key in SlumClass.values}
        for row in self.rows:
            survey = getattr(row, attr)
            if survey is not None:
                counts[survey.slum_class] += 1
        return [(key, self.rule.class_label(key), counts[key]) for key in SlumClass.values]

    @property
    def by_class(self):
        return self._classes("latest")

    @property
    def by_class_at_baseline(self):
        return self._classes("baseline")

    def _in_slum(self, attr) -> list:
        """The surveys (latest or baseline) of the RTs that were in a slum class then."""
        surveys = (getattr(row, attr) for row in self.rows)
        return [survey for survey in surveys if survey and survey.slum_class in SLUM_CLASSES]

    def _slum_area(self, attr) -> Decimal:
        return sum((survey.area_ha for survey in self._in_slum(attr)), Decimal(0))

    @property
    def slum_area_now(self) -> Decimal:
        return self._slum_area("latest")

    @property
    def slum_area_at_baseline(self) -> Decimal:
        return self._slum_area("baseline")

    @property
    def surveyed(self) -> int:
        return sum(1 for row in self.rows if row.latest is not None)

    @property
    def slum_rts_now(self) -> int:
        return len(self._in_slum("latest"))

    @property
    def slum_rts_at_baseline(self) -> int:
        return len(self._in_slum("baseline"))

    @property
    def left_slum(self) -> list:
        return [
            row
            for row in self.rows
            if row.baseline
            and row.latest.pk != row.baseline.pk
            and row.baseline.slum_class in SLUM_CLASSES
            and row.latest.slum_class not in SLUM_CLASSES
        ]

    @property
    def worsened(self) -> list:
        return [row for row in self.rows if row.change is not None and row.change > 0]

    @property
    def improved(self) -> list:
        return [row for row in self.rows if row.change is not None and row.change < 0]

    @property
    def illustrative(self) -> bool:
        return any(row.boundary and row.boundary.illustrative for row in self.rows)

    @property
    def has_boundaries(self) -> bool:
        return any(row.boundary for row in self.rows)


def place_summary(kelurahan, *, with_interventions=True) -> PlaceSummary:
    rts = RT.objects.filter(rw__kelurahan=kelurahan).select_related("rw__kelurahan")
    return PlaceSummary(kelurahan, rt_rows(rts, with_interventions=with_interventions), _rule())


def map_features(summary: PlaceSummary, url_of) -> dict:
    """The RTs with a boundary as a GeoJSON FeatureCollection for the map, each with what its
    popup shows: label, score, class, the sub-criteria that carry it, what was done there."""
    features = []
    for row in summary.rows:
        if row.boundary is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": row.boundary.geometry,
                "properties": {
                    "label": row.rt.label,
                    # What fits on the RT's own shape: "3/2" (RT/RW, leading zeros dropped).
                    "short_label": f"{row.rt.code.lstrip('0') or '0'}/"
                    f"{row.rt.rw.code.lstrip('0') or '0'}",
                    "url": url_of(row.rt),
                    "class": row.latest.slum_class if row.latest else "",
                    "class_label": summary.rule.class_label(row.latest.slum_class)
                    if row.latest
                    else "",
                    "score": row.latest.score if row.latest else None,
                    "carriers": [
                        f"{line.sub.code} {line.sub.shown_name} "
                        f"({number_format(line.percent, 2, use_l10n=True)} %: {line.score})"
                        for line in row.result.carriers()
                    ]
                    if row.result
                    else [],
                    "done": [f"{item.on:%d/%m/%Y} {item.what}" for item in row.interventions[:5]],
                    "done_count": len(row.interventions),
                },
            }
        )
    outline = Boundary.objects.filter(kelurahan=summary.kelurahan, rt__isnull=True).first()
    return {
        "type": "FeatureCollection",
        "features": features,
        "outline": outline.geometry if outline else None,
    }


def locations_of(rts) -> dict:
    """{RT id: its latest location assessment}: the RT's own, else the latest of a kawasan it
    belongs to (three queries whatever the number of RTs)."""
    ids = [rt.pk for rt in rts]
    newest_first = ("-assessed_on", "-pk")
    found = {}
    for assessment in LocationAssessment.objects.filter(rt_id__in=ids).order_by(*newest_first):
        found.setdefault(assessment.rt_id, assessment)
    members = LocationAssessment.objects.filter(kawasan__rts__in=ids).values_list(
        "pk", "kawasan__rts"
    )
    rts_of = defaultdict(list)
    for pk, rt_id in members:
        rts_of[pk].append(rt_id)
    of_kawasan = LocationAssessment.objects.filter(pk__in=rts_of).select_related("kawasan")
    for assessment in of_kawasan.order_by(*newest_first):
        for rt_id in rts_of[assessment.pk]:
            found.setdefault(rt_id, assessment)
    return found


def city_summary(user) -> PlaceSummary:
    """Every RT the user may see, as one place: the city's RTs by class now and at their
    baseline, those that left the slum classes, the area still slum."""
    return PlaceSummary(None, rt_rows(rts_for_user(user), with_interventions=False), _rule())


def last_reviewed_before(survey: Survey) -> Survey | None:
    """The RT's last reviewed survey before this one: what a re-survey starts from and what its
    review compares it with."""
    return (
        Survey.objects.filter(
            rt_id=survey.rt_id,
            status=Survey.Status.REVIEWED,
            surveyed_on__lte=survey.surveyed_on,
        )
        .exclude(pk=survey.pk)
        .order_by("-surveyed_on", "-pk")
        .first()
    )


def comparison(survey: Survey, subs, rule) -> dict:
    """The last reviewed survey's result, line by line (by sub-criterion code), beside this one:
    {"survey": the earlier survey, "result": its result, "lines": {code: line}}; empty without
    an earlier one."""
    earlier = last_reviewed_before(survey)
    if earlier is None:
        return {}
    answers = {answer.sub_id: answer for answer in earlier.answers.all()}
    result = scoring.score(earlier, answers, subs, rule)
    return {
        "survey": earlier,
        "result": result,
        "lines": {line.sub.code: line for line in result.lines},
        "class_label": rule.class_label(result.slum_class),
    }
