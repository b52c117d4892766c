from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services
from assessments.forms import (
    ActivityFormSet,
    AssessmentForm,
    BudgetLineFormSet,
    PlanForm,
    ProblemFormSet,
    ProfileFormSet,
    ReviewForm,
)
from assessments.models import ActionPlan, NeedsAssessment
from metro_slum import offline
from metro_slum.forms import error_links
from participants import selectors

ASSESSMENT_FIELDS = AssessmentForm.Meta.fields


def _members(group):
    return list(selectors.group_members(group))


def _kept_rows(formset):
    """Return the rows the user filled in and did not tick for deletion."""
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data["DELETE"]
    ]


def _assessment_forms(data, assessment, members, editable):
    problems = assessment.problems.all() if assessment else []
    profiles = {p.membership_id: p for p in assessment.profiles.all()} if assessment else {}
    profile_initial = []
    for membership in members:
        profile = profiles.get(membership.pk)
        # The income typed at registration is offered until the assessment records its own.
        values = {
            "membership": membership.pk,
            "attended": True,
            "current_income": membership.participant.monthly_income,
        }
        if profile:
            values.update(
                attended=profile.attended,
                interests=profile.interests,
                skills=profile.skills,
                business_experience=profile.business_experience,
                current_income=profile.current_income,
                preferred_business=profile.preferred_business,
                willing_to_run_business=profile.willing_to_run_business,
            )
        profile_initial.append(values)
    form = AssessmentForm(data, instance=assessment)
    problem_formset = ProblemFormSet(
        data,
        prefix="problems",
        initial=[
            {"rank": p.rank, "category": p.category, "description": p.description, "votes": p.votes}
            for p in problems
        ],
    )
    if not editable:
        problem_formset.extra = 0
    # Every member's block counts, even one left exactly as it was shown.
    profile_formset = ProfileFormSet(
        data,
        prefix="profiles",
        initial=profile_initial,
        form_kwargs={"empty_permitted": False, "use_required_attribute": False},
    )
    for profile_form, membership in zip(profile_formset.forms, members, strict=False):
        profile_form.member = membership
    return form, problem_formset, profile_formset


def _problem_inputs(formset):
    return [
        services.ProblemInput(
            rank=row["rank"],
            category=row["category"],
            description=row["description"],
            votes=row.get("votes") or 0,
        )
        for row in sorted(_kept_rows(formset), key=lambda row: row["rank"])
    ]


def _profile_inputs(formset, members):
    by_id = {m.pk: m for m in members}
    inputs = []
    for form in formset.forms:
        row = form.cleaned_data
        membership = by_id.get(row["membership"])
        if membership is None:
            raise ValidationError(
                _("The group's members changed while you were typing. Reload the page."),
                code="members_changed",
            )
        inputs.append(
            services.ProfileInput(
                membership=membership,
                attended=row["attended"],
                interests=row["interests"],
                skills=row["skills"],
                business_experience=row["business_experience"],
                current_income=row["current_income"],
                preferred_business=row["preferred_business"],
                willing_to_run_business=row["willing_to_run_business"],
            )
        )
    return inputs


def _field_anchor(form, params) -> str:
    """The id of the form's field a refusal names (params["field"]), marked invalid for readers."""
    name = params.get("field")
    if name not in form.fields:
        return ""
    form.fields[name].widget.attrs.update(
        {"aria-invalid": "true", "aria-describedby": "form-errors"}
    )
    return form[name].auto_id


def _save_or_submit(request, *, group, save, submit, submitted_message, url_name, anchor=None):
    """Save the page as a draft and, when the user pressed submit, submit it: all or nothing.

    Returns the saved outcome (its message and the page to go back to), or the refused one with
    (anchor, message) pairs saying why nothing was stored; `anchor` names the part of the page a
    refusal is about, from its params. A save from an older version raises `offline.Conflict`.
    """
    wants_submit = request.POST.get("action") == "submit"
    try:
        with transaction.atomic():
            save()
            if wants_submit:
                submit(group=group, by=request.user)
    except offline.Conflict:
        raise
    except ValidationError as error:
        return offline.Outcome(
            offline.REFUSED,
            listed=[
                ((anchor(item.params or {}) if anchor else ""), message)
                for item in error.error_list
                for message in item
            ],
        )
    if wants_submit:
        return offline.Outcome(
            offline.SAVED, message=submitted_message, next_url=reverse("group", args=[group.pk])
        )
    return offline.Outcome(
        offline.SAVED,
        message=_("Draft saved."),
        next_url=reverse(url_name, kwargs={"group_pk": group.pk}),
    )


def _versioned(request, form, outcome_of_save, **context) -> offline.Outcome:
    """Run the page's save; a record saved meanwhile from another version is a conflict, with
    both versions of the page's own fields side by side."""
    try:
        outcome = outcome_of_save()
    except offline.Conflict as conflict:
        outcome = offline.Outcome(
            offline.CONFLICT,
            form=form,
            next_url=request.path,
            listed=[("", conflict.messages[0])],
            both=offline.both_versions(form, conflict.current),
            version=conflict.current.version,
        )
    outcome.context = context
    return outcome


@offline.action("assessments:assessment")
def assessment_record(request, group_pk) -> offline.Outcome:
    """The assessment page saved (or submitted): the page's form, or the phone's queue."""
    group = selectors.group_get_for_user(
        request.user, group_pk, perm="assessments.view_needsassessment"
    )
    record = NeedsAssessment.objects.filter(group=group).first()
    if not _can_edit(request.user, NeedsAssessment, record):
        raise PermissionDenied
    members = _members(group)
    form, problems, profiles = _assessment_forms(request.POST, record, members, True)
    context = {
        "group": group,
        "record": record,
        "members": members,
        "forms": (form, problems, profiles),
    }
    if not (form.is_valid() and problems.is_valid() and profiles.is_valid()):
        return offline.Outcome(
            offline.REFUSED,
            form=form,
            listed=error_links(
                form,
                (problems, lambda number, _form: _("Problem %(number)d") % {"number": number}),
                (profiles, lambda _number, row: row.member.participant.full_name),
            ),
            context=context,
        )
    member_anchors = {m.pk: f"member-{number}" for number, m in enumerate(members, 1)}
    return _versioned(
        request,
        form,
        lambda: _save_or_submit(
            request,
            group=group,
            save=lambda: services.assessment_save(
                group=group,
                fields={name: form.cleaned_data[name] for name in ASSESSMENT_FIELDS},
                problems=_problem_inputs(problems),
                profiles=_profile_inputs(profiles, members),
                by=request.user,
                version=form.cleaned_data["version"],
            ),
            submit=services.assessment_submit,
            submitted_message=_("Needs assessment submitted for review."),
            url_name="assessments:assessment",
            anchor=lambda params: (
                member_anchors.get(params.get("membership"), "") or _field_anchor(form, params)
            ),
        ),
        **context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request, group_pk):
    """The whole participatory needs assessment of a group on one page."""
    errors, both = [], []
    if request.method == "POST":
        outcome = offline.run(request, assessment_record, group_pk=group_pk)
        if not outcome.refused:
            return offline.answered(request, outcome)
        group, record, members = (outcome.context[k] for k in ("group", "record", "members"))
        form, problems, profiles = outcome.context["forms"]
        errors, both = outcome.links(), outcome.both
        _overwrites(form, outcome)
        can_edit = True
    else:
        group = selectors.group_get_for_user(
            request.user, group_pk, perm="assessments.view_needsassessment"
        )
        record = NeedsAssessment.objects.filter(group=group).select_related("reviewed_by").first()
        members = _members(group)
        can_edit = _can_edit(request.user, NeedsAssessment, record)
        form, problems, profiles = _assessment_forms(None, record, members, can_edit)
    # A member's section with something to correct is open when the page comes back.
    pointed_at = {anchor for anchor, _message in errors if anchor}
    for number, profile_form in enumerate(profiles.forms, 1):
        profile_form.flagged = bool(profile_form.errors) or f"member-{number}" in pointed_at
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "group": group,
            "assessment": record,
            "form": form,
            "problems": problems,
            "profiles": profiles,
            "can_edit": can_edit,
            "profiles_read": [] if can_edit else _profiles_in_roster_order(record, members),
            "errors": errors,
            "both": both,
            "review_form": ReviewForm(),
            "review_steps": _review_steps(request.user, record),
        },
    )


def _overwrites(form, outcome) -> None:
    """After a conflict, the page sent again overwrites the version now shown beside it."""
    if outcome.version is not None:
        form.data = form.data.copy()
        form.data["version"] = outcome.version


def _profiles_in_roster_order(record, members) -> list:
    """The member profiles of a read-only assessment, officers first, as on the group's page."""
    if record is None:
        return []
    profiles = {profile.membership_id: profile for profile in record.profiles.all()}
    ordered = []
    for membership in members:
        if membership.pk in profiles:
            profile = profiles[membership.pk]
            profile.membership = membership
            ordered.append(profile)
    return ordered


def _can_edit(user, model, record) -> bool:
    """Whether the page is a form for this user: the state table's "save" step, or a new record."""
    if record is None:
        return user.has_perm(model.workflow["save"].permission)
    return model.workflow.may(user, record, "save")


def _review_steps(user, record) -> list:
    """The supervisor's buttons the state table allows now (accept, return)."""
    return [] if record is None else record.review_steps(user)


def _review(request, *, group_pk, model, approve, send_back, done_messages, url_name):
    group = selectors.group_get_for_user(
        request.user, group_pk, perm=f"assessments.view_{model._meta.model_name}"
    )
    record = model.objects.filter(group=group).first()
    form = ReviewForm(request.POST)
    if record is None or not form.is_valid():
        messages.error(request, _("There is nothing to review yet."))
        return redirect(url_name, group_pk=group.pk)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            approve(record, by=request.user, note=form.cleaned_data["note"])
        elif decision == "return":
            send_back(record, by=request.user, note=form.cleaned_data["note"])
        else:
            raise ValidationError(_("Choose a decision."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(url_name, group_pk=group.pk)
    messages.success(request, done_messages[decision])
    return redirect("group", pk=group.pk)


@login_required
@require_POST
def assessment_review(request, group_pk):
    if not request.user.has_perm("assessments.review_needsassessment"):
        raise PermissionDenied
    return _review(
        request,
        group_pk=group_pk,
        model=NeedsAssessment,
        approve=lambda r, **kw: services.assessment_review(assessment=r, **kw),
        send_back=lambda r, **kw: services.assessment_return(assessment=r, **kw),
        done_messages={
            "approve": _("Needs assessment marked as reviewed."),
            "return": _("Needs assessment returned to the social worker."),
        },
        url_name="assessments:assessment",
    )


def _plain_number(value):
    """Show 2 rather than 2.00 and 2.5 rather than 2.50 in a quantity field."""
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


def _plan_forms(data, plan, members, editable):
    member_choices = [
        (m.pk, f"{m.participant.full_name} ({m.get_role_display()})") for m in members
    ]
    activities = plan.activities.all() if plan else []
    lines = plan.budget_lines.all() if plan else []
    form = PlanForm(data, instance=plan)
    activity_formset = ActivityFormSet(
        data,
        prefix="activities",
        initial=[
            {
                "description": a.description,
                "responsible": a.responsible_id,
                "start_date": a.start_date,
                "end_date": a.end_date,
            }
            for a in activities
        ],
        form_kwargs={"member_choices": member_choices},
    )
    budget_formset = BudgetLineFormSet(
        data,
        prefix="budget",
        initial=[
            {
                "item": line.item,
                "quantity": _plain_number(line.quantity),
                "unit": line.unit,
                "unit_price": line.unit_price,
            }
            for line in lines
        ],
    )
    if not editable:
        activity_formset.extra = budget_formset.extra = 0
    return form, activity_formset, budget_formset


def _plan_query(group):
    return (
        ActionPlan.objects.filter(group=group)
        .select_related("reviewed_by")
        .prefetch_related("activities__responsible__participant", "budget_lines")
    )


@offline.action("assessments:plan")
def plan_record(request, group_pk) -> offline.Outcome:
    """The action plan saved (or submitted): the page's form, or the phone's queue."""
    group = selectors.group_get_for_user(request.user, group_pk, perm="assessments.view_actionplan")
    record = _plan_query(group).first()
    if not _can_edit(request.user, ActionPlan, record):
        raise PermissionDenied
    members = _members(group)
    form, activities, budget = _plan_forms(request.POST, record, members, True)
    context = {"group": group, "record": record, "forms": (form, activities, budget)}
    if not (form.is_valid() and activities.is_valid() and budget.is_valid()):
        return offline.Outcome(
            offline.REFUSED,
            form=form,
            listed=error_links(
                form,
                (activities, lambda number, _form: _("Activity %(number)d") % {"number": number}),
                (budget, lambda number, _form: _("Budget line %(number)d") % {"number": number}),
            ),
            context=context,
        )
    by_id = {m.pk: m for m in members}
    return _versioned(
        request,
        form,
        lambda: _save_or_submit(
            request,
            group=group,
            save=lambda: services.action_plan_save(
                group=group,
                goal=form.cleaned_data["goal"],
                activities=[
                    services.ActivityInput(
                        description=row["description"],
                        responsible=by_id[row["responsible"]],
                        start_date=row["start_date"],
                        end_date=row["end_date"],
                    )
                    for row in _kept_rows(activities)
                ],
                budget_lines=[
                    services.BudgetLineInput(
                        item=row["item"],
                        quantity=row["quantity"],
                        unit=row["unit"],
                        unit_price=row["unit_price"],
                    )
                    for row in _kept_rows(budget)
                ],
                by=request.user,
                version=form.cleaned_data["version"],
            ),
            submit=services.action_plan_submit,
            submitted_message=_("Action plan submitted for approval."),
            url_name="assessments:plan",
            anchor=lambda params: _field_anchor(form, params),
        ),
        **context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, group_pk):
    """The participatory action plan: goal, activities and the budget plan (RAB)."""
    errors, both = [], []
    if request.method == "POST":
        outcome = offline.run(request, plan_record, group_pk=group_pk)
        if not outcome.refused:
            return offline.answered(request, outcome)
        group, record = outcome.context["group"], outcome.context["record"]
        form, activities, budget = outcome.context["forms"]
        errors, both = outcome.links(), outcome.both
        _overwrites(form, outcome)
        can_edit = True
    else:
        group = selectors.group_get_for_user(
            request.user, group_pk, perm="assessments.view_actionplan"
        )
        record = _plan_query(group).first()
        can_edit = _can_edit(request.user, ActionPlan, record)
        form, activities, budget = _plan_forms(None, record, _members(group), can_edit)
    return render(
        request,
        "assessments/plan_form.html",
        {
            "group": group,
            "plan": record,
            "assessment": NeedsAssessment.objects.filter(group=group).first(),
            "form": form,
            "activities": activities,
            "budget": budget,
            "can_edit": can_edit,
            "errors": errors,
            "both": both,
            "ceiling": group.program.grant_ceiling_per_group,
            "total": services.budget_total(record.budget_lines.all()) if record else 0,
            "review_form": ReviewForm(),
            "review_steps": _review_steps(request.user, record),
        },
    )


@login_required
@require_POST
def plan_review(request, group_pk):
    if not request.user.has_perm("assessments.review_actionplan"):
        raise PermissionDenied
    return _review(
        request,
        group_pk=group_pk,
        model=ActionPlan,
        approve=lambda r, **kw: services.action_plan_approve(plan=r, **kw),
        send_back=lambda r, **kw: services.action_plan_return(plan=r, **kw),
        done_messages={
            "approve": _("Action plan approved."),
            "return": _("Action plan returned to the social worker."),
        },
        url_name="assessments:plan",
    )
