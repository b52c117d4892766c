from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from metro_slum import reports
from metro_slum.files import stored
from metro_slum.forms import errors_to_form
from metro_slum.roles import may_export
from participants.selectors import kelurahan_for_user
from slums import queue, scoring, selectors, services
from slums.forms import AnswerForm, BoundaryForm, StepForm, TotalsForm
from slums.models import Photo, SubCriterion, Survey
from slums.report import trend_report


def _require_view(user):
    if not user.has_perm("slums.view_survey"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET"])
def index(request):
    """Every kelurahan the user sees that has RTs: its RTs by class, the area still slum."""
    _require_view(request.user)
    places = kelurahan_for_user(request.user).filter(rws__isnull=False).distinct().order_by("name")
    summaries = [selectors.place_summary(place, with_interventions=False) for place in places]
    # Opened from the work that waits (?perlu=...): the surveys behind the count first.
    item = queue.BY_KEY.get(request.GET.get("perlu", ""))
    waiting = None
    if item is not None and request.user.has_perm(item.permission):
        waiting = queue.surveys_for(request.user, item)[:200]
    return render(
        request,
        "slums/index.html",
        {"summaries": summaries, "item": item, "waiting": waiting},
    )


@login_required
@require_http_methods(["GET"])
def place(request, code):
    """One kelurahan: the map (where boundaries were loaded) and, per RT, the score beside what
    was done there since the baseline."""
    kelurahan = selectors.place_get_for_user(request.user, code)
    summary = selectors.place_summary(kelurahan)
    return render(
        request,
        "slums/place.html",
        {
            "summary": summary,
            "features": selectors.map_features(
                summary, lambda rt: reverse("slums:rt", args=[rt.pk])
            ),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            # The map's legend: each class as the rule in force names it, and the unsurveyed.
            "class_labels": {
                **{key: str(label) for key, label, _count in summary.by_class},
                "": str(_("not surveyed")),
            },
        },
    )


@login_required
@require_http_methods(["GET"])
def rt(request, pk):
    """An RT's story: every survey, what carries its score, what was done since the baseline."""
    place_rt = selectors.rt_get_for_user(request.user, pk)
    (row,) = selectors.rt_rows([place_rt])
    surveys = place_rt.surveys.select_related("created_by").order_by("-surveyed_on", "-pk")
    return render(
        request,
        "slums/rt.html",
        {
            "row": row,
            "rt": place_rt,
            "surveys": surveys,
            "drafts": [s for s in surveys if s.status != Survey.Status.REVIEWED],
            "residents": place_rt.residents().order_by("full_name", "pk")[:100]
            if request.user.has_perm("participants.view_participant")
            else [],
            "rule": scoring.Rule.in_force(),
            "may_survey": _may_enter(request.user),
            "location": selectors.locations_of([place_rt]).get(place_rt.pk),
            "kawasan": place_rt.kawasan.all(),
        },
    )


def _may_enter(user) -> bool:
    """Surveys are entered on the portal by social workers (staff import the Pokja's sheet)."""
    return user.has_perms(("slums.add_survey", "slums.change_survey"))


def _may_edit(user, survey) -> bool:
    return Survey.workflow.may(user, survey, "edit")


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request, pk):
    place_rt = selectors.rt_get_for_user(request.user, pk)
    if not _may_enter(request.user):
        raise PermissionDenied(_("Only a social worker enters a survey."))
    initial = {name: getattr(place_rt, name) or None for name in services.TOTAL_FIELDS}
    initial["surveyor"] = request.user.get_full_name() or request.user.username
    form = TotalsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_begin(rt=place_rt, by=request.user, **form.survey_fields())
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            first = SubCriterion.objects.order_by("code").first()
            return redirect("slums:answer", pk=survey.pk, code=first.code)
    return render(request, "slums/totals.html", {"form": form, "rt": place_rt, "survey": None})


@login_required
@require_http_methods(["GET", "POST"])
def survey_totals(request, pk):
    survey = selectors.survey_get_for_user(request.user, pk)
    if not _may_edit(request.user, survey):
        raise PermissionDenied(_("This survey cannot be changed now."))
    form = TotalsForm(request.POST if request.method == "POST" else None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_totals(survey=survey, by=request.user, **form.survey_fields())
        except ValidationError as error:
            survey.refresh_from_db()
            errors_to_form(form, error)
        else:
            messages.success(request, _("The survey's totals were saved."))
            return redirect("slums:survey", pk=survey.pk)
    return render(request, "slums/totals.html", {"form": form, "rt": survey.rt, "survey": survey})


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk, code):
    """One sub-criterion a screen: the question, the RT's total, the count affected, photos."""
    survey = selectors.survey_get_for_user(request.user, pk)
    if not _may_edit(request.user, survey):
        raise PermissionDenied(_("This survey cannot be changed now."))
    subs = list(SubCriterion.objects.select_related("criterion").order_by("code"))
    sub = next((s for s in subs if s.code == code), None)
    if sub is None:
        raise Http404
    index = subs.index(sub)
    existing = survey.answers.filter(sub=sub).first()
    # A re-survey starts from the last reviewed survey's count, in the same unit: the worker
    # confirms it or changes it.
    earlier = selectors.last_reviewed_before(survey)
    last = earlier.answers.filter(sub=sub).first() if earlier is not None else None
    if last is not None and last.counted_as != sub.basis:
        last = None
    if existing:
        initial = {"affected": services.plain_count(existing.affected), "note": existing.note}
    elif last is not None:
        initial = {"affected": services.plain_count(last.affected)}
    else:
        initial = {}
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                survey=survey,
                by=request.user,
                sub=sub,
                affected=form.cleaned_data["affected"],
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if index + 1 < len(subs) and "back" not in request.POST:
                return redirect("slums:answer", pk=survey.pk, code=subs[index + 1].code)
            if "back" in request.POST and index > 0:
                return redirect("slums:answer", pk=survey.pk, code=subs[index - 1].code)
            return redirect("slums:survey", pk=survey.pk)
    return render(
        request,
        "slums/answer.html",
        {
            "form": form,
            "survey": survey,
            "sub": sub,
            "total": survey.total(sub.basis),
            "number": index + 1,
            "count": len(subs),
            "previous": subs[index - 1] if index else None,
            "answered": set(survey.answers.values_list("sub__code", flat=True)),
            "subs": subs,
            "photos": survey.photos.filter(sub=sub),
            "last": {
                "survey": earlier,
                "affected": services.plain_count(last.affected),
                "total": earlier.total(sub.basis),
                "prefilled": existing is None,
            }
            if last is not None
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey(request, pk):
    """A survey's summary: every share and score, its photos and its next step (POST)."""
    survey = selectors.survey_get_for_user(request.user, pk)
    form = StepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        step = request.POST.get("step", "")
        form.is_valid()
        if step not in ("submit", "review", "return"):
            form.add_error(None, _("Choose the step to take."))
        else:
            Survey.workflow.require(request.user, step)
        if not form.errors:
            try:
                services.survey_step(
                    survey=survey, by=request.user, step=step, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    {
                        "submit": _("The survey was submitted for review."),
                        "review": _("The survey was marked as reviewed; its score now counts."),
                        "return": _("The survey was returned to the surveyor with your note."),
                    }[step],
                )
                return redirect("slums:survey", pk=survey.pk)
    rule = scoring.Rule.in_force()
    subs = list(SubCriterion.objects.select_related("criterion").order_by("code"))
    answers = {a.sub_id: a for a in survey.answers.all()}
    result = scoring.score(survey, answers, subs, rule)
    return render(
        request,
        "slums/survey.html",
        {
            "survey": survey,
            "result": result,
            "answers": answers,
            "rule": rule,
            "class_label": rule.class_label(result.slum_class),
            "steps": [
                s for s in Survey.workflow.allowed_steps(survey, request.user) if s.name != "edit"
            ],
            "may_edit": _may_edit(request.user, survey),
            "missing": [line.sub for line in result.lines if line.affected is None],
            # The last reviewed survey of the RT beside this one, the changes marked.
            "before": selectors.comparison(survey, subs, rule),
            "photos": survey.photos.select_related("sub"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def photo(request, pk):
    record = get_object_or_404(Photo.objects.select_related("survey"), pk=pk)
    selectors.survey_get_for_user(request.user, record.survey_id)
    return stored.serve(request, record)


@login_required
@require_http_methods(["GET", "POST"])
def boundaries(request):
    """Staff load a kelurahan's RT boundaries from GeoJSON: all of them or none."""
    if not request.user.has_perm("slums.add_boundary"):
        raise PermissionDenied(_("Only administrative staff load boundaries."))
    form = BoundaryForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.boundaries_load(
                upload.read(settings.BOUNDARY_MAX_BYTES + 1),
                kelurahan=form.cleaned_data["kelurahan"],
                by=request.user,
                illustrative=form.cleaned_data["illustrative"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _("%(count)d boundaries of %(kelurahan)s were loaded.")
                % {"count": count, "kelurahan": form.cleaned_data["kelurahan"].name},
            )
            return redirect("slums:place", code=form.cleaned_data["kelurahan"].code)
    return render(
        request, "slums/boundaries.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    """The trend report: an A4 page to print (GET), or XLSX (POST: the download is logged)."""
    _require_view(request.user)
    data = request.POST if request.method == "POST" else request.GET
    place = None
    if data.get("kelurahan"):
        place = selectors.place_get_for_user(request.user, data["kelurahan"])
    result = trend_report(user=request.user, place=place)
    if request.method == "POST":
        if not may_export(request.user):
            raise PermissionDenied
        return reports.xlsx_response(result, user=request.user)
    return render(
        request,
        "report.html",
        {"report": result, "kind": "kumuh", "printed": reports.printed_line()},
    )
