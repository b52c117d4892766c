"""The complaint pages: the public form and status page (no login), and the office's list, intake
and handling pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from complaints import selectors, services
from complaints.forms import (
    AssignForm,
    FilterForm,
    LookupForm,
    PublicAppealForm,
    PublicComplaintForm,
    StaffComplaintForm,
    StepForm,
    VerificationAnswerForm,
)
from complaints.models import HANDLE, Attachment, Complaint
from complaints.queue import BY_KEY, items_for
from grants import services as grant_services
from grants.models import Disbursement
from metro_slum.files import stored as stored_files
from metro_slum.forms import errors_to_form
from metro_slum.links import public_url
from participants import selectors as participant_selectors

LIST_SIZE = 50
RECEIPT = "complaint_receipt"


def _too_many(request, template, context):
    context["limited"] = True
    return render(request, template, context, status=429)


# The public pages -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@ratelimit(
    key="ip", rate=lambda _group, _request: settings.COMPLAINT_RATE, method="POST", block=False
)
def public(request):
    """Anyone may complain here, named or anonymous; the answer is a number and a check code."""
    if request.method == "POST" and getattr(request, "limited", False):
        return _too_many(request, "complaints/public.html", {"form": PublicComplaintForm()})
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint, code = services.complaint_create(
                by=None, files=form.cleaned_data["files"], **form.complaint_fields()
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            request.session[RECEIPT] = {"number": complaint.number, "code": code}
            return redirect("complaints:receipt")
    return render(request, "complaints/public.html", {"form": form})


@require_http_methods(["GET"])
def receipt(request):
    """The number and check code, shown once after the complaint was sent (never in a URL)."""
    issued = request.session.pop(RECEIPT, None)
    if issued is None:
        return redirect("complaints:status")
    complaint = Complaint.objects.filter(number=issued["number"]).first()
    return render(
        request,
        "complaints/receipt.html",
        {
            "issued": issued,
            "complaint": complaint,
            "status_url": public_url(reverse("complaints:status"), request),
        },
    )


@require_http_methods(["GET", "POST"])
@ratelimit(
    key="ip",
    rate=lambda _group, _request: settings.COMPLAINT_CHECK_RATE,
    method="POST",
    block=False,
)
def status(request):
    """A complaint's status by its number and check code (posted: the code is never in a URL),
    and the complainant's one appeal."""
    if request.method == "POST" and getattr(request, "limited", False):
        return _too_many(request, "complaints/status.html", {"form": LookupForm()})
    appealing = request.method == "POST" and "reason" in request.POST
    # The receipt's link carries the number (never the code): the resident types only the code.
    initial = {"number": request.GET.get("nomor", "")[:30]}
    form = (PublicAppealForm if appealing else LookupForm)(request.POST or None, initial=initial)
    complaint = None
    if request.method == "POST" and form.is_valid():
        number, code = form.cleaned_data["number"], form.cleaned_data["code"]
        if appealing:
            try:
                complaint = services.complaint_appeal_public(
                    number=number, code=code, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Your appeal has been recorded."))
        else:
            complaint = services.complaint_find(number, code)
            if complaint is None:
                form.add_error(None, _("The number or the check code does not match."))
    if appealing and complaint is None and form.is_bound:
        complaint = services.complaint_find(
            request.POST.get("number", ""), request.POST.get("code", "")
        )
    context = {"form": form, "complaint": complaint}
    if complaint is not None:
        context["events"] = complaint.events.order_by("at", "pk")
        context["public_steps"] = {services.WORKFLOW[name].target for name in services.PUBLIC_NOTES}
        context["appeal_form"] = (
            form
            if appealing and form.errors
            else PublicAppealForm(initial={"number": complaint.number})
        )
        context["may_appeal"] = (
            complaint.status in Complaint.CLOSED_STATUSES and complaint.appeals == 0
        )
    return render(request, "complaints/status.html", context)


# The office's pages ---------------------------------------------------------------------


def _require_view(user):
    if not user.has_perm(selectors.VIEW):
        raise PermissionDenied


@login_required
@require_http_methods(["GET"])
def complaint_list(request):
    """The complaints this user may see, newest first, filtered by status, category or one
    count of the work that waits (?perlu=...)."""
    _require_view(request.user)
    complaints = selectors.complaints_for(request.user)
    item = BY_KEY.get(request.GET.get("perlu", ""))
    if item is not None:
        if item not in items_for(request.user):
            raise PermissionDenied
        complaints = complaints.filter(item.condition(request.user))
    filters = FilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            complaints = complaints.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["category"]:
            complaints = complaints.filter(category=filters.cleaned_data["category"])
        if filters.cleaned_data["late"]:
            complaints = complaints.filter(selectors.overdue())
    page = Paginator(complaints.order_by("-received_on", "-pk"), LIST_SIZE).get_page(
        request.GET.get("halaman")
    )
    today = timezone.localdate()
    for complaint in page.object_list:
        complaint.escalation = selectors.escalation(complaint, today)
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "complaints/list.html",
        {"page": page, "filters": filters, "item": item, "query": query.urlencode()},
    )


def _linked(request) -> dict:
    """The record a complaint recorded from a group, person or tranche page is about."""
    user, links = request.user, {}
    group_pk, person_pk = request.GET.get("kelompok", ""), request.GET.get("peserta", "")
    tranche_pk = request.GET.get("pencairan", "")
    if group_pk.isdigit():
        links["group"] = participant_selectors.group_get_for_user(user, group_pk)
    if person_pk.isdigit():
        links["participant"] = participant_selectors.participant_get_for_user(user, person_pk)
    if tranche_pk.isdigit():
        tranche = get_object_or_404(Disbursement.objects.select_related("grant"), pk=tranche_pk)
        participant_selectors.group_get_for_user(user, tranche.grant.group_id)
        links["disbursement"] = tranche
    return links


@login_required
@require_http_methods(["GET", "POST"])
def complaint_create(request):
    """A complaint brought to the office or told to a social worker, recorded by them."""
    if not request.user.has_perm("complaints.add_complaint"):
        raise PermissionDenied
    links = _linked(request)
    initial = {}
    if links:
        place = next(
            (
                record.kelurahan
                for record in (links.get("group"), links.get("participant"))
                if record is not None
            ),
            None,
        )
        initial["kelurahan"] = place or links["disbursement"].grant.group.kelurahan
    form = StaffComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            complaint, code = services.complaint_create(
                by=request.user,
                files=form.cleaned_data["files"],
                **form.complaint_fields(),
                **links,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            request.session[RECEIPT] = {"number": complaint.number, "code": code}
            return redirect("complaints:receipt")
    return render(request, "complaints/create.html", {"form": form, "links": links})


def _officers(complaint):
    """The active users who may handle this complaint."""
    handlers = get_user_model().objects.filter(
        Q(groups__permissions__codename="handle_complaint") | Q(is_superuser=True),
        is_active=True,
    )
    if complaint.sensitive:
        handlers = handlers.filter(
            Q(groups__permissions__codename="view_sensitive_complaint") | Q(is_superuser=True)
        )
    return handlers.distinct().order_by("username")


def _detail(request, complaint, *, step_form=None, assign_form=None):
    steps = Complaint.workflow.allowed_steps(complaint, request.user)
    handles = request.user.has_perm(HANDLE)
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "events": complaint.events.select_related("user").order_by("at", "pk"),
            "attachments": complaint.attachments.all(),
            "step_form": step_form or (StepForm(steps=steps) if steps else None),
            "assign_form": assign_form
            or (
                AssignForm(officers=_officers(complaint), initial={"owner": complaint.owner})
                if handles and complaint.is_active
                else None
            ),
            "handles": handles,
            "overdue": complaint.overdue(),
            "escalation": selectors.escalation(complaint),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request, pk):
    """A complaint, its history and attachments; the next step, its owner, its LAPOR ticket."""
    complaint = selectors.complaint_get_for_user(request.user, pk)
    if request.method == "GET":
        return _detail(request, complaint)
    action = request.POST.get("action", "step")
    if action == "assign":
        if not request.user.has_perm(HANDLE):
            raise PermissionDenied
        form = AssignForm(request.POST, officers=_officers(complaint))
        if form.is_valid():
            try:
                services.complaint_assign(
                    complaint=complaint, owner=form.cleaned_data["owner"], by=request.user
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The complaint has been assigned."))
                return redirect("complaints:detail", complaint.pk)
        return _detail(request, complaint, assign_form=form)
    if action == "lapor":
        try:
            services.complaint_link_lapor(
                complaint=complaint, ticket=request.POST.get("lapor_ticket", ""), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The SP4N-LAPOR ticket has been recorded."))
        return redirect("complaints:detail", complaint.pk)
    steps = Complaint.workflow.allowed_steps(complaint, request.user)
    if not steps and not any(
        request.user.has_perm(step.permission) for step in Complaint.workflow.steps.values()
    ):
        raise PermissionDenied
    form = StepForm(request.POST, steps=steps)
    if form.is_valid():
        try:
            services.complaint_step(
                complaint=complaint,
                step=form.cleaned_data["step"],
                by=request.user,
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The complaint has been updated."))
            return redirect("complaints:detail", complaint.pk)
    return _detail(request, complaint, step_form=form)


@login_required
@require_http_methods(["GET"])
def attachment(request, pk):
    """An attachment, only to those who may see its complaint (logged)."""
    item = get_object_or_404(Attachment.objects.select_related("complaint"), pk=pk)
    selectors.complaint_get_for_user(request.user, item.complaint_id)
    if not request.user.has_perm("complaints.view_attachment"):
        raise PermissionDenied  # the head of office reads the register, opens no upload
    return stored_files.serve(request, item)


@login_required
@require_http_methods(["GET", "POST"])
def verification(request, pk):
    """A tranche's payment verification: who was asked, what each answered, and the answers
    recorded from a visit or a telephone call ("less" or "not received" opens a complaint)."""
    tranche = get_object_or_404(
        Disbursement.objects.select_related("grant__group__kelurahan", "verification"), pk=pk
    )
    group = participant_selectors.group_get_for_user(
        request.user, tranche.grant.group_id, perm="grants.view_verificationanswer"
    )
    verification = getattr(tranche, "verification", None)
    if verification is None:
        raise Http404
    answers = verification.answers.select_related("participant", "complaint")
    records = request.user.has_perm("grants.change_verificationanswer")
    form = VerificationAnswerForm(request.POST or None, answers=answers) if records else None
    if request.method == "POST":
        if not records:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                _answer, complaint = services.verification_answer(
                    answer=data["answer"], by=request.user, value=data["value"],
                    channel=data["channel"], on=data["on"], amount=data["amount"],
                    note=data["note"],
                )  # fmt: skip
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                if complaint is not None:
                    messages.warning(
                        request,
                        _("The answer is recorded, and complaint %(number)s was opened.")
                        % {"number": complaint.number},
                    )
                else:
                    messages.success(request, _("The answer is recorded."))
                return redirect("complaints:verification", tranche.pk)
    figures = grant_services.verification_figures([tranche]).get(tranche.pk, {})
    return render(
        request,
        "complaints/verification.html",
        {
            "tranche": tranche,
            "group": group,
            "answers": answers,
            "form": form,
            "figures": figures,
        },
    )
