"""Every write of the slum survey: a survey begun, answered a sub-criterion at a time, photos,
its steps, the scores computed again when the bands change, and the boundaries loaded from
GeoJSON. The portal, admin, the importer and the demo call these."""

import datetime
import json
import math
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from metro_slum import notices
from metro_slum.files import stored
from participants.models import RT, neighbourhood_code
from participants.selectors import kelurahan_workers
from slums import scoring
from slums.models import Answer, Basis, Boundary, Guideline, Photo, SubCriterion, Survey

TOTAL_FIELDS = tuple(Basis.values)


def _require(user, perm: str, message: str) -> None:
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(message)


def baseline_of(rt: RT) -> Survey | None:
    """The RT's first survey that is not a draft being entered: its baseline."""
    return rt.surveys.filter(is_baseline=True).order_by("surveyed_on", "pk").first()


def check_survey(survey: Survey, *, today: datetime.date | None = None) -> None:
    """The rules of a survey's date and totals, before anything is written."""
    today = today or timezone.localdate()
    errors = {}
    if survey.surveyed_on and survey.surveyed_on > today:
        errors["surveyed_on"] = _("The survey date is in the future. Write the day it was taken.")
    baseline = baseline_of(survey.rt) if survey.rt_id else None
    if (
        baseline is not None
        and baseline.pk != survey.pk
        and survey.surveyed_on
        and survey.surveyed_on <= baseline.surveyed_on
    ):
        errors["surveyed_on"] = _(
            "This RT's baseline survey was taken on %(date)s: a re-survey is dated after it."
        ) % {"date": f"{baseline.surveyed_on:%d/%m/%Y}"}
    if survey.households == 0:
        errors["households"] = _("An RT has at least one household. Write how many live there.")
    for ideal, existing in (
        ("road_ideal_length_m", "road_length_m"),
        ("drainage_ideal_length_m", "drainage_length_m"),
    ):
        ideal_m, existing_m = getattr(survey, ideal), getattr(survey, existing)
        if ideal_m is not None and existing_m is not None and ideal_m < existing_m:
            errors[ideal] = _(
                "The ideal length is the whole network the RT should have, the existing part "
                "included: at least %(existing)s m."
            ) % {"existing": existing_m}
    if survey.area_ha is not None and survey.area_ha <= 0:
        errors["area_ha"] = _("Write the RT's area in hectares (more than 0).")
    if errors:
        raise ValidationError(errors)


def survey_begin(*, rt: RT, by, surveyed_on, surveyor: str, totals: dict, notes="") -> Survey:
    """Begin a survey of an RT (the baseline if it has none yet); the RT remembers the totals."""
    _require(by, "slums.add_survey", _("Only a social worker enters a survey."))
    survey = Survey(
        rt=rt,
        surveyed_on=surveyed_on,
        surveyor=surveyor,
        notes=notes,
        created_by=by,
        **{name: totals[name] for name in TOTAL_FIELDS},
    )
    with transaction.atomic():
        locked = RT.objects.select_for_update().get(pk=rt.pk)
        survey.rt = locked
        survey.is_baseline = baseline_of(locked) is None
        survey.full_clean(exclude=["created_by"])
        check_survey(survey)
        survey.save()
        remember_totals(locked, survey)
    return survey


def remember_totals(rt: RT, survey: Survey) -> None:
    for name in TOTAL_FIELDS:
        setattr(rt, name, getattr(survey, name))
    rt.save(update_fields=list(TOTAL_FIELDS))


def _locked(survey: Survey, by, step: str) -> Survey:
    Survey.workflow.require(by, step)
    locked = (
        Survey.objects.select_for_update().select_related("rt__rw__kelurahan").get(pk=survey.pk)
    )
    Survey.workflow.expect(locked, step)
    return locked


def survey_totals(
    *, survey: Survey, by, surveyed_on, surveyor: str, totals: dict, notes=""
) -> Survey:
    """Correct a survey's date, surveyor and totals while it is being entered; every answer is
    checked again against the new totals."""
    with transaction.atomic():
        survey = _locked(survey, by, "edit")
        survey.surveyed_on, survey.surveyor, survey.notes = surveyed_on, surveyor, notes
        for name in TOTAL_FIELDS:
            setattr(survey, name, totals[name])
        survey.full_clean(exclude=["created_by", "reviewed_by"])
        check_survey(survey)
        for answer in survey.answers.select_related("sub"):
            if answer.in_current_unit:  # an old unit's count is counted again, not checked
                check_answer(survey, answer.sub, answer.affected)
        survey.save()
        remember_totals(survey.rt, survey)
        _score_one(survey)
    return survey


# The largest count a survey holds (a survey's fields keep ten digits, two after the point).
LARGEST_COUNT = Decimal("99999999.99")


def parse_count(value) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValueError(_("Write a number, for example 12 or 0.5.")) from None
    if not number.is_finite() or number < 0:
        raise ValueError(_("Write a number of 0 or more."))
    if number > LARGEST_COUNT:
        raise ValueError(_("This number is too large for an RT. Count again."))
    return number.quantize(Decimal("0.01"))


def check_answer(survey: Survey, sub: SubCriterion, affected: Decimal) -> None:
    total = survey.total(sub.basis)
    if total is None:  # a survey taken before the ideal lengths were asked
        raise ValidationError(
            {
                "affected": _(
                    "This survey has no %(basis)s yet. Write it on the first screen (the RT's "
                    "totals), then this count."
                )
                % {"basis": Basis(sub.basis).label}
            }
        )
    if affected < 0:
        raise ValidationError({"affected": _("Write a number of 0 or more.")})
    if affected > total:
        raise ValidationError(
            {
                "affected": _(
                    "%(affected)s is more than the RT's %(total)s %(basis)s. Count again, or "
                    "correct the RT's totals on the first screen."
                )
                % {
                    "affected": plain_count(affected),
                    "total": plain_count(total),
                    "basis": sub.unit,
                }
            }
        )


def plain_count(number) -> str:
    """A count as typed back to the user: 12, 0.5 (no trailing zeros)."""
    text = f"{Decimal(number):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def survey_answer(*, survey: Survey, by, sub: SubCriterion, affected, note="", photos=()) -> Survey:
    """Record one sub-criterion's count (and its photos): all of it or nothing."""
    return survey_answers(survey=survey, by=by, counts={sub: (affected, note)}, photos=photos)


def survey_answers(*, survey: Survey, by, counts: dict, photos=()) -> Survey:
    """Record the counts of several sub-criteria ({sub: (affected, note)}), each checked against
    the survey's totals, and photos of the (first) sub-criterion; all of it or nothing."""
    checked = stored.check(photos, images_only=lambda kind: True, field="photos") if photos else []
    with transaction.atomic():
        survey = _locked(survey, by, "edit")
        for sub, (affected, note) in counts.items():
            check_answer(survey, sub, affected)
            Answer.objects.update_or_create(
                survey=survey,
                sub=sub,
                defaults={"affected": affected, "note": note[:300], "counted_as": sub.basis},
            )
        photo_sub = next(iter(counts), None)
        for item in checked:
            stored.store(Photo(survey=survey, sub=photo_sub), item, by=by)
        _score_one(survey)
    return survey


def missing_subs(survey: Survey) -> list[SubCriterion]:
    answered = set(survey.answers.values_list("sub_id", flat=True))
    return [sub for sub in SubCriterion.objects.order_by("code") if sub.pk not in answered]


def survey_step(*, survey: Survey, by, step: str, note: str = "") -> Survey:
    """Submit a survey (every sub-criterion answered), review it or return it with a note."""
    with transaction.atomic():
        survey = _locked(survey, by, step)
        now = timezone.now()
        if step == "submit":
            missing = missing_subs(survey)
            if missing:
                raise ValidationError(
                    _("Not every sub-criterion has its count yet: %(codes)s. Enter them first.")
                    % {"codes": ", ".join(sub.code for sub in missing)}
                )
            survey.submitted_at = now
        elif step == "return":
            if not note.strip():
                raise ValidationError(
                    {"note": _("Write what the surveyor should correct before returning it.")}
                )
            survey.review_note = note.strip()[:1000]
        elif step == "review":
            survey.reviewed_by, survey.reviewed_at = by, now
            survey.review_note = note.strip()[:1000]
        survey.status = Survey.workflow[step].target
        survey.save()
        if step == "return":
            _tell_returned(survey)
    return survey


def _tell_returned(survey: Survey) -> None:
    """The kelurahan's social workers (and whoever entered it) are told, with the note."""
    kelurahan = survey.rt.rw.kelurahan
    notices.notify(
        [*kelurahan_workers(kelurahan.pk), survey.created_by],
        kind="returned",
        text=lambda: (
            _("The slum survey of %(rt)s, %(kelurahan)s was returned: %(note)s")
            % {"rt": survey.rt.label, "kelurahan": kelurahan.name, "note": survey.review_note[:150]}
        ),
        url=reverse("slums:survey", args=[survey.pk]),
    )


def _score_one(survey: Survey, rule: scoring.Rule | None = None, subs=None) -> None:
    rule = rule or scoring.Rule.in_force()
    subs = subs if subs is not None else list(SubCriterion.objects.order_by("code"))
    answers = {answer.sub_id: answer for answer in survey.answers.all()}
    result = scoring.score(survey, answers, subs, rule)
    Survey.objects.filter(pk=survey.pk).update(
        score=result.score, slum_class=result.slum_class, scored_with=rule.label
    )
    survey.score, survey.slum_class, survey.scored_with = (
        result.score,
        result.slum_class,
        rule.label,
    )


def rescore_all() -> int:
    """Score every survey again with the bands in force (after they changed); return how many."""
    rule = scoring.Rule.in_force()
    subs = list(SubCriterion.objects.order_by("code"))
    surveys = list(Survey.objects.prefetch_related("answers"))
    for survey in surveys:
        answers = {answer.sub_id: answer for answer in survey.answers.all()}
        result = scoring.score(survey, answers, subs, rule)
        survey.score, survey.slum_class, survey.scored_with = (
            result.score,
            result.slum_class,
            rule.label,
        )
    Survey.objects.bulk_update(surveys, ["score", "slum_class", "scored_with"], batch_size=500)
    return len(surveys)


def bands_changed(guideline: Guideline) -> int:
    """A guideline's bands were changed in admin: a new version, every survey scored again."""
    with transaction.atomic():
        Guideline.objects.filter(pk=guideline.pk).update(version=guideline.version + 1)
        guideline.refresh_from_db()
        return rescore_all() if guideline.in_force else 0


def check_bands(start_field: str, starts) -> None:
    """A list of bands covers every value: it starts at 0 (a share of 0 %, a total score of 0)."""
    if not starts or min(starts) != 0:
        raise ValidationError(
            _("The share bands must start at 0 %, so that every share has a score.")
            if start_field == "from_percent"
            else _("The class bands must start at score 0, so that every total has a class.")
        )


# Boundaries --------------------------------------------------------------------------------


def _feature_error(number: int, text: str) -> str:
    return _("Feature %(number)d: %(problem)s") % {"number": number, "problem": text}


class _NotANumber(Exception):
    pass


def _not_a_number(name: str):
    raise _NotANumber(name)  # NaN, Infinity, -Infinity: JSON has no such numbers


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999
        raise _NotANumber(text)
    return number


def _plain(coordinates):
    """Shapely's tuples as the JSON lists a map reads."""
    if isinstance(coordinates, tuple | list):
        return [_plain(item) for item in coordinates]
    return coordinates


def _read_geojson(data: bytes) -> list:
    limit = settings.BOUNDARY_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            _(
                "The file is %(size)s MB; at most %(limit)s MB is accepted. Send the kelurahan one "
                "at a time."
            )
            % {"size": f"{len(data) / 1e6:.1f}", "limit": f"{limit / 1e6:.0f}"}
        )
    try:
        document = json.loads(
            data.decode("utf-8-sig"), parse_constant=_not_a_number, parse_float=_finite
        )
    except _NotANumber:
        raise ValidationError(
            _(
                "The file holds NaN or Infinity where a number should be. Correct those "
                "coordinates in the map program and export the file again."
            )
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(
            _("The file is not GeoJSON (it cannot be read as JSON). Export it again as GeoJSON.")
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValidationError(_("The file must be a GeoJSON FeatureCollection of RT polygons."))
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(_("The file holds no features."))
    if len(features) > settings.BOUNDARY_MAX_FEATURES:
        raise ValidationError(
            _("The file holds %(count)d features; at most %(limit)d are accepted at once.")
            % {"count": len(features), "limit": settings.BOUNDARY_MAX_FEATURES}
        )
    return features


def _known_places(kelurahan):
    rts = RT.objects.filter(rw__kelurahan=kelurahan).select_related("rw")
    return {(rt.rw.code, rt.code): rt for rt in rts}


def _vertices(geometry: dict) -> int:
    """How many numbers the coordinates hold, halved (a point is two); read without recursion,
    whatever the file nests."""
    numbers, waiting = 0, [geometry.get("coordinates")]
    while waiting:
        item = waiting.pop()
        if isinstance(item, list):
            waiting.extend(item)
        elif isinstance(item, (int, float)):
            numbers += 1
    return numbers // 2


def boundaries_check(data: bytes, *, kelurahan) -> list[tuple]:
    """Check a GeoJSON file of one kelurahan: [(RT or None, geometry)], or every problem named
    by feature. Each feature a Polygon or MultiPolygon, valid (not crossing itself), inside Kota
    Metro, with properties RW and RT naming an RT of the kelurahan (none of them: its outline)."""
    features = _read_geojson(data)
    places = _known_places(kelurahan)
    found, errors, seen = [], [], set()
    west, south, east, north = settings.METRO_EXTENT
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            kind = geometry.get("type") if isinstance(geometry, dict) else _("nothing")
            errors.append(
                _feature_error(
                    number,
                    _("a %(kind)s is not an area; draw the RT as a polygon.") % {"kind": kind},
                )
            )
            continue
        if _vertices(geometry) > settings.BOUNDARY_MAX_VERTICES:
            errors.append(
                _feature_error(
                    number,
                    _("more than %(limit)d points; simplify the shape.")
                    % {"limit": settings.BOUNDARY_MAX_VERTICES},
                )
            )
            continue
        try:
            outline = shape(geometry)
            valid = not outline.is_empty and outline.is_valid
        except (ValueError, TypeError, AttributeError, IndexError, KeyError, GEOSException):
            errors.append(_feature_error(number, _("its coordinates cannot be read as a polygon.")))
            continue
        if not valid:
            reason = explain_validity(outline) if not outline.is_empty else _("empty")
            errors.append(
                _feature_error(
                    number,
                    _("the shape is not valid (%(reason)s): it may cross itself. Redraw it.")
                    % {"reason": reason},
                )
            )
            continue
        minx, miny, maxx, maxy = outline.bounds
        if minx < west or maxx > east or miny < south or maxy > north:
            errors.append(
                _feature_error(
                    number,
                    _(
                        "it lies outside Kota Metro. Check that the "
                        "coordinates are longitude, latitude (WGS 84)."
                    ),
                )
            )
            continue
        rw_code, rt_code = properties.get("rw"), properties.get("rt")
        if rt_code in (None, "") and rw_code in (None, ""):
            key = None
        else:
            try:
                key = (neighbourhood_code(rw_code), neighbourhood_code(rt_code))
            except ValueError:
                errors.append(
                    _feature_error(
                        number, _('write its RW and RT as numbers (properties "rw" and "rt").')
                    )
                )
                continue
            if key not in places:
                errors.append(
                    _feature_error(
                        number,
                        _(
                            "RT %(rt)s/RW %(rw)s is not an RT of "
                            "%(kelurahan)s. Add the RT in admin first, "
                            "or correct the code."
                        )
                        % {"rt": key[1], "rw": key[0], "kelurahan": kelurahan.name},
                    )
                )
                continue
        if key in seen:
            errors.append(_feature_error(number, _("this RT appears twice in the file.")))
            continue
        seen.add(key)
        # Only the checked shape is kept: its type and coordinates, nothing else the file held.
        normalised = {
            "type": outline.geom_type,
            "coordinates": _plain(mapping(outline)["coordinates"]),
        }
        found.append((places[key] if key else None, normalised))
    if errors:
        raise ValidationError(errors)
    return found


def boundaries_load(data: bytes, *, kelurahan, by, illustrative: bool = False) -> int:
    """Load the checked shapes, replacing the RTs' earlier ones; all of them or none."""
    _require(by, "slums.add_boundary", _("Only administrative staff load boundaries."))
    shapes = boundaries_check(data, kelurahan=kelurahan)
    with transaction.atomic():
        for rt, geometry in shapes:
            Boundary.objects.update_or_create(
                kelurahan=kelurahan,
                rt=rt,
                defaults={"geometry": geometry, "illustrative": illustrative, "loaded_by": by},
            )
    return len(shapes)


def check_kawasan_rts(kelurahan, rts) -> None:
    """A kawasan's RTs are RTs of its kelurahan (the decree lists them kelurahan by kelurahan)."""
    strangers = [
        rt.label for rt in rts if kelurahan is not None and rt.rw.kelurahan_id != kelurahan.pk
    ]
    if strangers:
        raise ValidationError(
            {
                "rts": _("%(rts)s: not RTs of %(kelurahan)s. Choose the kawasan's own RTs.")
                % {"rts": ", ".join(strangers), "kelurahan": kelurahan.name}
            }
        )
