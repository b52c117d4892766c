"""The pages of follow-ups, aid and outcomes, each reached from the group or person page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.models import Problem
from families import selectors, services
from families.forms import (
    AidForm,
    EvidenceForm,
    FollowUpForm,
    MeasurementForm,
    StepForm,
    member_rows,
)
from families.models import Evidence, FollowUp, Measurement
from metro_slum import offline
from metro_slum.files import stored as stored_files
from metro_slum.forms import errors_to_form
from participants import selectors as participant_selectors
from participants import targeting

Milestone = Measurement.Milestone


# Follow-ups ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_add(request, group_pk):
    """Record a need as a follow-up; opened from a problem of the assessment (?masalah=)."""
    group = participant_selectors.group_get_for_user(
        request.user, group_pk, perm="families.add_followup"
    )
    initial = {}
    problem_pk = request.GET.get("masalah", "")
    if problem_pk.isdigit():
        problem = Problem.objects.filter(pk=problem_pk, assessment__group=group).first()
        if problem is not None:
            initial = {
                "problem": problem,
                "category": problem.category,
                "need": problem.description,
                "scope": FollowUp.Scope.GROUP,
                "service": selectors.SERVICE_FOR_CATEGORY.get(problem.category, ""),
            }
    form = FollowUpForm(request.POST or None, group=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = services.follow_up_create(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The follow-up has been recorded."))
            return redirect("families:follow_up", follow_up.pk)
    return render(request, "families/follow_up_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_edit(request, pk):
    """Correct an open follow-up: what is needed, for whom, the service, the target date."""
    follow_up = _follow_up_for(request.user, pk)
    if not services.may_correct(follow_up, request.user):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, instance=follow_up, group=follow_up.group)
    del form.fields["problem"]  # where it came from stays as it was
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in FollowUp.CORRECTABLE_FIELDS}
        try:
            services.follow_up_correct(
                follow_up=FollowUp.objects.get(pk=follow_up.pk), by=request.user, **fields
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The follow-up has been corrected."))
            return redirect("families:follow_up", follow_up.pk)
    return render(
        request,
        "families/follow_up_form.html",
        {"group": follow_up.group, "form": form, "follow_up": follow_up},
    )


def _follow_up_for(user, pk) -> FollowUp:
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("group__kelurahan", "participant", "problem"), pk=pk
    )
    participant_selectors.group_get_for_user(
        user, follow_up.group_id, perm="families.view_followup"
    )
    return follow_up


def _follow_up_page(request, follow_up, step_form=None, evidence_form=None):
    steps = FollowUp.workflow.allowed_steps(follow_up, request.user)
    return render(
        request,
        "families/follow_up.html",
        {
            "follow_up": follow_up,
            "group": follow_up.group,
            "events": follow_up.events.select_related("user").prefetch_related("evidence"),
            "evidence": follow_up.evidence.all(),
            "step_form": step_form
            or (
                StepForm(steps=steps, initial={"referred_to": follow_up.referred_to})
                if steps
                else None
            ),
            "may_correct": services.may_correct(follow_up, request.user),
            "evidence_form": evidence_form
            or (EvidenceForm() if request.user.has_perm("families.add_evidence") else None),
            "overdue": follow_up.is_overdue(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    """A follow-up: what, for whom, where it was referred, its history; the next status."""
    if request.method == "GET":
        return _follow_up_page(request, _follow_up_for(request.user, pk))
    outcome = offline.run(request, follow_up_step_record, pk=pk)
    if not outcome.refused:
        return offline.answered(request, outcome)
    follow_up = outcome.context["follow_up"]
    if not outcome.context["steps"]:
        # A second click after the status changed: the form offered no step any more.
        messages.error(request, outcome.problems()[0])
        return redirect("families:follow_up", follow_up.pk)
    follow_up.refresh_from_db()
    return _follow_up_page(request, follow_up, step_form=outcome.form)


@offline.action("families:follow_up")
def follow_up_step_record(request, pk) -> offline.Outcome:
    """The next step of a follow-up with its evidence: the page's form, or the phone's queue."""
    follow_up = _follow_up_for(request.user, pk)
    steps = FollowUp.workflow.allowed_steps(follow_up, request.user)
    if not steps and not any(
        request.user.has_perm(s.permission) for s in FollowUp.workflow.steps.values()
    ):
        raise PermissionDenied
    form = StepForm(request.POST, request.FILES, steps=steps)
    if not steps:
        form.add_error(
            None,
            _("This follow-up is now '%(status)s'; reload the page.")
            % {"status": follow_up.get_status_display()},
        )
    elif form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_step(
                follow_up=follow_up,
                step=data["step"],
                by=request.user,
                on=data["on"],
                note=data["note"],
                referred_to=data["referred_to"],
                files=data["files"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            follow_up.refresh_from_db()
    return offline.outcome_of(
        form,
        message=_("Status changed to '%(status)s'.") % {"status": follow_up.get_status_display()},
        next_url=reverse("families:follow_up", args=[follow_up.pk]),
        follow_up=follow_up,
        steps=steps,
    )


@offline.action("families:evidence_add")
def evidence_record(request, pk) -> offline.Outcome:
    """Evidence for a follow-up (a letter, a card, a photo): the page's form, or the queue."""
    follow_up = _follow_up_for(request.user, pk)
    if not request.user.has_perm("families.add_evidence"):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    stored = []
    if form.is_valid():
        try:
            stored = services.evidence_add(
                follow_up=follow_up, by=request.user, files=form.cleaned_data["files"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
    return offline.outcome_of(
        form,
        message=_("%(count)d file(s) added as evidence.") % {"count": len(stored)},
        next_url=reverse("families:follow_up", args=[follow_up.pk]) + "#bukti",
        follow_up=follow_up,
    )


@login_required
@require_http_methods(["POST"])
def evidence_add(request, pk):
    outcome = offline.run(request, evidence_record, pk=pk)
    if outcome.refused:
        return _follow_up_page(request, outcome.context["follow_up"], evidence_form=outcome.form)
    return offline.answered(request, outcome)


@login_required
@require_http_methods(["GET"])
def evidence_download(request, pk):
    """Serve evidence only to those who may see the group (a KTP or BPJS card is personal)."""
    evidence = get_object_or_404(Evidence.objects.select_related("follow_up"), pk=pk)
    participant_selectors.group_get_for_user(
        request.user, evidence.follow_up.group_id, perm="families.view_evidence"
    )
    return stored_files.serve(request, evidence)


# Aid -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def aid_add(request, pk):
    """Record aid a person's household received; a possible double asks to be confirmed."""
    participant = participant_selectors.participant_get_for_user(
        request.user, pk, perm="families.add_aid"
    )
    form = AidForm(request.POST or None)
    double = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirm = data.pop("confirm_double")
        try:
            services.aid_record(
                by=request.user, participant=participant, confirm_double=confirm, **data
            )
        except ValidationError as error:
            double = getattr(error, "code", None) == "possible_double"
            errors_to_form(form, error)
        else:
            messages.success(request, _("The aid has been recorded."))
            return redirect(reverse("person", args=[participant.pk]) + "#bantuan")
    return render(
        request,
        "families/aid_form.html",
        {"participant": participant, "form": form, "double": double},
    )


@login_required
@require_http_methods(["GET"])
def family_card(request, pk):
    """Everything the programme did with and for one household, on A4 for the case file."""
    participant = participant_selectors.participant_get_for_user(request.user, pk)
    if not request.user.has_perm("families.view_aid"):
        raise PermissionDenied
    return render(
        request, "families/family_card.html", selectors.family_card(participant, request.user)
    )


# Outcomes --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def outcomes(request, group_pk):
    """A group's baseline and follow-up measurements; POST takes the baseline."""
    group = participant_selectors.group_get_for_user(
        request.user, group_pk, perm="families.view_measurement"
    )
    if request.method == "POST":
        try:
            services.baseline_take(group=group, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The baseline has been taken from the needs assessment."))
        return redirect("families:outcomes", group.pk)
    context = selectors.group_outcomes(group)
    # Beside the income figures: the households' DTSEN desil since the members joined.
    context["movement"] = targeting.movement(group.memberships.all(), group.program.max_desil)
    return render(request, "families/outcomes.html", context)


def _measurement_closed(group, milestone) -> str | None:
    """Why this measurement cannot be recorded now ("" for a milestone that does not exist), or
    None when it can."""
    if milestone not in Measurement.FOLLOW_UPS:
        return ""
    if group.measurements.filter(milestone=milestone).exists():
        return _("This measurement has already been recorded.")
    if milestone not in services.measurements_open(group):
        due_on = services.milestone_due_on(group, milestone)
        if due_on is None:
            return services.not_disbursed_message()
        return _("This measurement is due on %(date)s; it can be recorded from a month before.") % {
            "date": f"{due_on:%d/%m/%Y}"
        }
    return None


def _measurement_forms(request, group):
    """The member rows (the baseline taken now if it was not yet) and the forms, bound to the
    POST if there is one."""
    baseline = group.measurements.filter(milestone=Milestone.BASELINE).first()
    if baseline is None:
        baseline = services.baseline_take(group=group, by=request.user)
    rows = services.measurement_rows(group, baseline)
    data = request.POST if request.method == "POST" else None
    return rows, MeasurementForm(data), member_rows(rows, data)


@offline.action("families:measurement_add")
def measurement_record(request, group_pk, milestone) -> offline.Outcome:
    """A follow-up measurement of the group's outcomes: the page's form, or the phone's queue."""
    group = participant_selectors.group_get_for_user(
        request.user, group_pk, perm="families.add_measurement"
    )
    answer = {"next_url": reverse("families:outcomes", args=[group.pk]), "group": group}
    form, members = MeasurementForm(request.POST), None
    closed = _measurement_closed(group, milestone)
    try:
        if closed is not None:
            raise ValidationError(closed or _("There is no such measurement."))
        rows, form, members = _measurement_forms(request, group)
    except ValidationError as error:
        errors_to_form(form, error)
        return offline.outcome_of(form, message="", **answer)
    members_ok = members.is_valid() and len(members.forms) == len(rows)
    if len(members.forms) != len(rows):
        form.add_error(None, _("The list of members changed. Reload the page."))
    elif form.is_valid() and members_ok:
        try:
            services.measurement_record(
                group=group,
                milestone=milestone,
                by=request.user,
                members=[
                    {"participant": row["participant"], **member}
                    for row, member in zip(rows, members.cleaned_data, strict=True)
                ],
                **form.cleaned_data,
            )
        except ValidationError as error:
            errors_to_form(form, error)
    return offline.outcome_of(
        form,
        (members, lambda _number, row: row.person.full_name),
        message=_("The measurement has been recorded."),
        members=members,
        **answer,
    )


@login_required
@require_http_methods(["GET", "POST"])
def measurement_add(request, group_pk, milestone):
    group = participant_selectors.group_get_for_user(
        request.user, group_pk, perm="families.add_measurement"
    )
    closed = _measurement_closed(group, milestone)
    if closed is not None:
        if closed:
            messages.info(request, closed)
        return redirect("families:outcomes", group.pk)
    if request.method == "POST":
        outcome = offline.run(request, measurement_record, group_pk=group_pk, milestone=milestone)
        if not outcome.refused:
            return offline.answered(request, outcome)
        form, members = outcome.form, outcome.context.get("members")
    else:
        try:
            _rows, form, members = _measurement_forms(request, group)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("families:outcomes", group.pk)
    if members is None:  # the baseline could not be taken
        messages.error(request, " ".join(outcome.problems()))
        return redirect("families:outcomes", group.pk)
    return render(
        request,
        "families/measurement_form.html",
        {
            "group": group,
            "form": form,
            "members": members,
            "milestone": Milestone(milestone),
            "due_on": services.milestone_due_on(group, milestone),
        },
    )
