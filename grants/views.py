from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments.services import budget_total
from grants import selectors as grant_selectors
from grants import services
from grants.forms import (
    DecisionForm,
    GrantForm,
    MonitoringVisitForm,
    SpendingLineForm,
    VisitCorrectionForm,
    document_rows,
)
from grants.models import Disbursement, Document, Grant, MonitoringVisit
from metro_slum import charts, chronology, offline
from metro_slum.files import stored as stored_files
from metro_slum.formatting import rupiah, rupiah_short
from metro_slum.terbilang import date_in_words, date_long, rupiah_terbilang
from participants import selectors


def _group_and_grant(request, group_pk, perm="grants.view_grant"):
    group = selectors.group_get_for_user(request.user, group_pk, perm=perm)
    grant = (
        Grant.objects.filter(group=group, program=group.program)
        .select_related("action_plan", "submitted_by", "decided_by")
        .first()
    )
    return group, grant


def _back(group, section=""):
    """Back to the grant's page; after a success, at the section the user was working in."""
    url = reverse("grants:grant", kwargs={"group_pk": group.pk})
    return redirect(f"{url}#{section}" if section else url)


def _form_errors(request, form):
    """Report a small form's errors as messages on the grant page it was posted from."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _refuse(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def grant_page(request, group_pk):
    """Everything about the group's business capital: proposal, documents, money, follow-up."""
    group, grant = _group_and_grant(request, group_pk)
    form = GrantForm(request.POST or None, instance=grant)
    if request.method == "POST":
        if not _can_edit(request.user, grant):
            raise PermissionDenied
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in GrantForm.Meta.fields}
            try:
                if grant is None:
                    services.grant_create(group=group, by=request.user, **fields)
                else:
                    services.grant_update(grant=grant, by=request.user, **fields)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Grant proposal saved."))
                return _back(group)
    elif grant is None:
        plan = getattr(group, "action_plan", None)
        form = GrantForm(
            initial={
                "amount_requested": budget_total(plan.budget_lines.all()) if plan else None,
                "purpose": plan.goal if plan else "",
            }
        )
    return _render_page(request, group, grant, form=form)


def _can_edit(user, grant) -> bool:
    """Whether the proposal is a form for this user (a draft or a rejected grant), or text."""
    return user.has_perm("grants.change_grant") and (grant is None or grant.is_editable)


def _with_verification(grant) -> list:
    """The grant's tranches, each with its payment verification's figures (one query)."""
    tranches = list(grant.disbursements.select_related("received_by__participant"))
    figures = services.verification_figures(tranches)
    for tranche in tranches:
        tranche.verified = figures.get(tranche.pk, {})
    return tranches


def _render_page(request, group, grant, *, form=None, **bound):
    """The grant's page; a small form that was refused comes back filled in, with its errors."""
    can_edit = _can_edit(request.user, grant)
    context = {
        "group": group,
        "grant": grant,
        "form": form or GrantForm(instance=grant),
        "can_edit": can_edit,
    }
    if grant is not None:
        allowed = Grant.workflow.allowed_steps(grant, request.user)
        rab = services.rab_total(grant)
        context.update(
            steps={step.name for step in allowed},
            decisions=[
                (step, DecisionForm(step=step.name, grant=grant, prefix=step.name))
                for step in allowed
                if step.name in services.DECISION_STEPS
            ],
            rab=rab,
            rab_differs=rab != grant.amount_requested,
            lpj_problems=services.accountability_problems(grant)
            if Grant.workflow.allows(grant, "accept_accountability")
            else [],
        )
        visits = list(grant.visits.select_related("officer", "photo"))
        spending = list(grant.spending_lines.select_related("budget_line", "receipt"))
        disbursed = services.disbursed_total(grant)
        context.update(
            events=grant.events.select_related("user"),
            # A visit's photo is shown with its visit, not among the grant's loose documents.
            documents=grant.documents.exclude(pk__in=[v.photo_id for v in visits if v.photo_id]),
            missing=services.missing_documents(grant),
            problems=services.submission_problems(grant) if grant.is_editable else [],
            disbursements=_with_verification(grant),
            disbursed=disbursed,
            tranche=grant_selectors.tranche_to_record(grant, request.user, disbursed=disbursed),
            spending=spending,
            spent=sum(line.actual_amount for line in spending),
            visits=visits,
            revenue_chart=charts.line_chart(
                _("Monthly revenue over time"),
                [(visit.visit_date.strftime("%d/%m"), visit.monthly_revenue) for visit in visits],
                y_label=_("revenue (Rp)"),
                x_label=_("visit date"),
                fmt=rupiah,
                tick_fmt=rupiah_short,
                element_id="revenue-chart",
            ),
            document_rows=document_rows(services.missing_document_kinds(grant)),
            spending_form=SpendingLineForm(plan=grant.action_plan),
            visit_form=MonitoringVisitForm(),
        )
        context.update(bound)
    return render(request, "grants/grant.html", context)


@login_required
@require_POST
def grant_submit(request, group_pk):
    group, grant = _group_and_grant(request, group_pk, perm="grants.submit_grant")
    if grant is None:
        raise PermissionDenied
    try:
        services.grant_submit(grant=grant, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Grant proposal submitted to the supervisor."))
    return _back(group)


@login_required
@require_POST
def grant_decide(request, group_pk, step):
    """A supervisor's step from the grant's page: approve, reject, accept the LPJ, close."""
    if step not in services.DECISION_STEPS:
        raise Http404
    Grant.workflow.require(request.user, step)
    group, grant = _group_and_grant(request, group_pk)
    if grant is None:
        raise Http404
    form = DecisionForm(request.POST, step=step, grant=grant, prefix=step)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(group)
    try:
        form.take(grant, request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        grant.refresh_from_db()
        messages.success(
            request,
            _("Done: the grant is now '%(status)s'.") % {"status": grant.get_status_display()},
        )
    return _back(group)


@login_required
@require_POST
def document_upload(request, group_pk):
    """Several documents at once, each with its kind; all are stored or none."""
    group, grant = _group_and_grant(request, group_pk, perm="grants.add_document")
    if grant is None:
        raise PermissionDenied
    rows = document_rows([], request.POST, request.FILES)
    if not rows.management_form.is_valid():
        messages.error(request, _("The upload form was incomplete. Reload the page."))
        return _back(group)
    refusals = []
    if rows.is_valid():
        files = [(row["kind"], row["file"]) for row in rows.cleaned_data if row.get("file")]
        try:
            if not files:
                raise ValidationError(_("Choose a file for at least one row, and what it is."))
            documents = services.documents_upload(grant=grant, by=request.user, files=files)
        except ValidationError as error:
            refusals = error.messages
    if refusals or not rows.is_valid():
        # Nothing was stored. The kinds chosen stay; the files are chosen again (a browser never
        # refills a file field).
        return _render_page(
            request,
            group,
            grant,
            document_rows=rows,
            upload_refusals=refusals,
            open_section="dokumen",
        )
    messages.success(
        request,
        ngettext("%(count)d document uploaded.", "%(count)d documents uploaded.", len(documents))
        % {"count": len(documents)},
    )
    return _back(group, section="dokumen")


@offline.action("grants:spending")
def spending_record(request, group_pk) -> offline.Outcome:
    """A line of the LPJ with its receipt: the page's form, or the phone's queue."""
    group, grant = _group_and_grant(request, group_pk, perm="grants.add_spendingline")
    if grant is None:
        raise PermissionDenied
    form = SpendingLineForm(request.POST, request.FILES, plan=grant.action_plan)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                receipt = services.document_upload(
                    grant=grant, by=request.user, kind=Document.Kind.RECEIPT, file=data["receipt"]
                )
                services.spending_line_add(
                    grant=grant,
                    by=request.user,
                    description=data["description"],
                    spent_on=data["spent_on"],
                    actual_amount=data["actual_amount"],
                    budget_line=data["budget_line"],
                    receipt=receipt,
                    is_advance=data["is_advance"],
                    advance_reason=data["advance_reason"],
                )
        except ValidationError as error:
            form.add_error(None, error)
    return offline.outcome_of(
        form,
        message=_("Spending recorded with its receipt."),
        next_url=_section_url(group, "lpj"),
        group=group,
        grant=grant,
    )


@login_required
@require_POST
def spending_add(request, group_pk):
    return _sent(request, spending_record, "spending_form", "lpj", group_pk=group_pk)


def _sent(request, action, form_name, section, **kwargs):
    """A small form of the grant page sent: saved, back at its section with the message; refused,
    the page with the form filled in and its errors, open at its section."""
    outcome = offline.run(request, action, **kwargs)
    if outcome.refused:
        bound = {form_name: outcome.form}
        return _render_page(request, open_section=section, **bound, **outcome.context)
    return offline.answered(request, outcome)


@offline.action("grants:visit")
def visit_record(request, group_pk) -> offline.Outcome:
    """A monitoring visit: the page's form, or the phone's queue."""
    group, grant = _group_and_grant(request, group_pk, perm="grants.add_monitoringvisit")
    if grant is None:
        raise PermissionDenied
    form = MonitoringVisitForm(request.POST, request.FILES)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MonitoringVisitForm.Meta.fields}
        try:
            services.monitoring_visit_record(
                grant=grant, by=request.user, photo_file=form.cleaned_data["photo_file"], **fields
            )
        except ValidationError as error:
            form.add_error(None, error)
    return offline.outcome_of(
        form,
        message=_("Monitoring visit recorded."),
        next_url=_section_url(group, "monitoring"),
        group=group,
        grant=grant,
    )


@login_required
@require_POST
def visit_add(request, group_pk):
    return _sent(request, visit_record, "visit_form", "monitoring", group_pk=group_pk)


def _visit_for(request, group_pk, pk):
    group, grant = _group_and_grant(request, group_pk, perm="grants.change_monitoringvisit")
    visit = get_object_or_404(MonitoringVisit, pk=pk, grant__group=group)
    return group, visit.grant, visit


@offline.action("grants:visit_edit")
def visit_correct(request, group_pk, pk) -> offline.Outcome:
    """Correct a visit from the version the form was opened at (a phone may have been offline)."""
    group, grant, visit = _visit_for(request, group_pk, pk)
    form = VisitCorrectionForm(request.POST, request.FILES, instance=visit)
    answer = {"next_url": _section_url(group, "monitoring"), "group": group, "grant": grant}
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MonitoringVisitForm.Meta.fields}
        try:
            services.monitoring_visit_change(
                visit=visit,
                by=request.user,
                version=form.cleaned_data["version"],
                photo_file=form.cleaned_data["photo_file"],
                **fields,
            )
        except offline.Conflict as conflict:
            return offline.conflict_of(form, conflict, **answer)
        except ValidationError as error:
            form.add_error(None, error)
    return offline.outcome_of(form, message=_("The visit has been corrected."), **answer)


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, group_pk, pk):
    """A monitoring visit corrected; a version changed meanwhile is shown beside this one."""
    both = []
    if request.method == "POST":
        outcome = offline.run(request, visit_correct, group_pk=group_pk, pk=pk)
        if not outcome.refused:
            return offline.answered(request, outcome)
        group, form, both = outcome.context["group"], outcome.form, outcome.both
        if outcome.version is not None:
            # Sent again, this form overwrites the version now shown beside it.
            form.data = form.data.copy()
            form.data["version"] = outcome.version
    else:
        group, _grant, visit = _visit_for(request, group_pk, pk)
        form = VisitCorrectionForm(instance=visit, initial={"version": visit.version})
    return render(request, "grants/visit_form.html", {"group": group, "form": form, "both": both})


def _section_url(group, section) -> str:
    return reverse("grants:grant", kwargs={"group_pk": group.pk}) + f"#{section}"


@login_required
@require_http_methods(["GET"])
def document_download(request, pk):
    """Serve an uploaded document only to those who may see the group (KTP copies are personal)."""
    document = get_object_or_404(Document.objects.select_related("grant"), pk=pk)
    selectors.group_get_for_user(request.user, document.grant.group_id, perm="grants.view_document")
    return stored_files.serve(request, document)


@login_required
@require_http_methods(["GET"])
def handover(request, pk):
    """The printable handover record (Berita Acara Serah Terima) of one disbursement."""
    disbursement = get_object_or_404(
        Disbursement.objects.select_related(
            "grant__group__kelurahan__kecamatan",
            "grant__program",
            "handed_over_by",
            "received_by__participant",
        ),
        pk=pk,
    )
    group = selectors.group_get_for_user(
        request.user, disbursement.grant.group_id, perm="grants.view_disbursement"
    )
    return render(
        request,
        "grants/handover.html",
        {
            "d": disbursement,
            "group": group,
            "members": selectors.group_members(group),
            "date_words": date_in_words(disbursement.date),
            "date_long": date_long(disbursement.date),
            "amount_words": rupiah_terbilang(disbursement.amount),
            # A tranche stored before the rules, dated out of order: said on screen, not printed.
            "dates_out_of_order": chronology.messages(disbursement),
        },
    )
