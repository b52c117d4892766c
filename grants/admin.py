from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from grants import selectors, services
from grants.exports import grants_export
from grants.models import Disbursement, Document, Grant, GrantEvent, MonitoringVisit, SpendingLine
from metro_slum.formatting import rupiah
from participants.exports import export_response
from participants.models import Membership

BADGE_COLOURS = {
    Grant.Status.DRAFT: "#6c757d",
    Grant.Status.SUBMITTED: "#b58100",
    Grant.Status.APPROVED: "#0d6efd",
    Grant.Status.REJECTED: "#dc3545",
    Grant.Status.DISBURSED: "#6f42c1",
    Grant.Status.ACCOUNTED: "#198754",
    Grant.Status.CLOSED: "#343a40",
}


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DisbursementColumns:
    """Amount in rupiah and a link to the printable handover minutes of a tranche."""

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return rupiah(obj.amount)

    @admin.display(description=_("handover minutes"))
    def handover(self, obj):
        url = reverse("grants:handover", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("print"))


class GrantEventInline(ReadOnlyInline):
    model = GrantEvent
    fields = ("at", "from_status", "to_status", "user", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class DisbursementInline(DisbursementColumns, ReadOnlyInline):
    model = Disbursement
    fields = ("date", "amount_display", "method", "reference_number", "received_by", "handover")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("received_by__participant")


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "link", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def link(self, obj):
        url = reverse("grants:document", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class MonitoringVisitInline(ReadOnlyInline):
    model = MonitoringVisit
    fields = (
        "visit_date",
        "officer",
        "business_status",
        "revenue",
        "profit",
        "active_members",
        "problems",
    )
    readonly_fields = fields

    @admin.display(description=_("monthly revenue"))
    def revenue(self, obj):
        return rupiah(obj.monthly_revenue)

    @admin.display(description=_("monthly profit"))
    def profit(self, obj):
        return rupiah(obj.monthly_profit)


class SpendingLineInline(ReadOnlyInline):
    model = SpendingLine
    fields = ("spent_on", "description", "budget_line", "planned", "actual", "receipt")
    readonly_fields = fields

    @admin.display(description=_("planned"))
    def planned(self, obj):
        return rupiah(obj.planned_amount)

    @admin.display(description=_("actual"))
    def actual(self, obj):
        return rupiah(obj.actual_amount)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("note (required when rejecting: the reason)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    """The supervisors' desk: every grant, where it stands, and the decisions to take."""

    list_display = (
        "group",
        "kelurahan",
        "kecamatan",
        "business",
        "requested",
        "approved",
        "disbursed_display",
        "status_badge",
        "days_in_status",
    )
    list_filter = (
        "status",
        ("group__kelurahan__kecamatan", admin.RelatedOnlyFieldListFilter),
        ("group__kelurahan", admin.RelatedOnlyFieldListFilter),
        "group__business_type",
        "program",
    )
    search_fields = ("group__name", "group__kelurahan__name")
    actions = ("approve_selected", "reject_selected", "export_xlsx")
    inlines = (
        GrantEventInline,
        DisbursementInline,
        DocumentInline,
        SpendingLineInline,
        MonitoringVisitInline,
    )
    fields = (
        "group",
        "program",
        "action_plan",
        ("amount_requested", "amount_approved"),
        "purpose",
        ("bank_name", "bank_account_number", "bank_account_holder"),
        ("status", "status_changed_at"),
        "rejection_reason",
        "document_checklist",
        ("created_by", "submitted_by", "submitted_at"),
        ("decided_by", "decided_at"),
    )
    readonly_fields = fields[:3] + (
        "amount_requested",
        "amount_approved",
        "purpose",
        "bank_name",
        "bank_account_number",
        "bank_account_holder",
        "status",
        "status_changed_at",
        "rejection_reason",
        "document_checklist",
        "created_by",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
    )

    def get_queryset(self, request):
        return selectors.grant_list()

    # Grants are prepared in the portal and move only through the actions and services.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            totals = selectors.grant_totals(changelist.queryset)
            response.context_data["totals"] = {k: rupiah(v) for k, v in totals.items()}
        return response

    @admin.display(description=_("kelurahan"), ordering="group__kelurahan__name")
    def kelurahan(self, obj):
        return obj.group.kelurahan.name

    @admin.display(description=_("kecamatan"), ordering="group__kelurahan__kecamatan__name")
    def kecamatan(self, obj):
        return obj.group.kelurahan.kecamatan.name

    @admin.display(description=_("business"), ordering="group__business_type")
    def business(self, obj):
        return obj.group.business_label

    @admin.display(description=_("requested"), ordering="amount_requested")
    def requested(self, obj):
        return rupiah(obj.amount_requested)

    @admin.display(description=_("approved"), ordering="amount_approved")
    def approved(self, obj):
        return rupiah(obj.amount_approved)

    @admin.display(description=_("disbursed"), ordering="disbursed")
    def disbursed_display(self, obj):
        return rupiah(obj.disbursed)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span style="background:{};color:#fff;padding:2px 8px;border-radius:10px;'
            'white-space:nowrap">{}</span>',
            BADGE_COLOURS[obj.status],
            obj.get_status_display(),
        )

    @admin.display(description=_("days in status"), ordering="status_changed_at")
    def days_in_status(self, obj):
        return (timezone.now() - obj.status_changed_at).days

    @admin.display(description=_("documents"))
    def document_checklist(self, obj):
        present = {d.kind for d in obj.documents.all()}
        rows = [
            (
                "✔" if kind in present else "✘",
                "green" if kind in present else "#dc3545",
                Document.Kind(kind).label,
            )
            for kind in Document.REQUIRED_FOR_SUBMISSION
        ]
        checklist = format_html_join("", '<li><span style="color:{1}">{0}</span> {2}</li>', rows)
        missing = services.missing_documents(obj)
        summary = (
            format_html("<strong>{}</strong> {}", _("Missing:"), ", ".join(missing))
            if missing
            else _("All required documents are present.")
        )
        return format_html('<ul style="margin:0">{}</ul>{}', checklist, summary)

    def _decide(self, request, queryset, *, title, decide, done):
        if not request.user.has_perm("grants.decide_grant"):
            raise PermissionDenied
        grants = list(queryset.select_related("group"))
        form = DecisionForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            for grant in grants:
                try:
                    decide(grant, request.user, form.cleaned_data["note"])
                except ValidationError as error:
                    self.message_user(
                        request,
                        f"{grant.group.name}: {' '.join(error.messages)}",
                        messages.ERROR,
                    )
                else:
                    self.message_user(request, f"{grant.group.name}: {done}", messages.SUCCESS)
            return None
        return render(
            request,
            "admin/grants/grant/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "grants": grants,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )

    @admin.action(description=_("Export the selected grants to Excel (XLSX)"))
    def export_xlsx(self, request, queryset):
        label = _("%(count)d grants chosen in admin") % {"count": queryset.count()}
        return export_response(
            grants_export(user=request.user, queryset=queryset, scope_label=label)
        )

    @admin.action(description=_("Approve selected grants"))
    def approve_selected(self, request, queryset):
        return self._decide(
            request,
            queryset,
            title=_("Approve grants"),
            decide=lambda grant, user, note: services.grant_approve(
                grant=grant, by=user, note=note
            ),
            done=_("approved."),
        )

    @admin.action(description=_("Reject selected grants"))
    def reject_selected(self, request, queryset):
        return self._decide(
            request,
            queryset,
            title=_("Reject grants"),
            decide=lambda grant, user, note: services.grant_reject(
                grant=grant, by=user, reason=note
            ),
            done=_("rejected."),
        )


class DisbursementForm(forms.ModelForm):
    class Meta:
        model = Disbursement
        fields = ("grant", "date", "amount", "method", "reference_number", "received_by", "note")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = Grant.objects.filter(
            status__in=(Grant.Status.APPROVED, Grant.Status.DISBURSED)
        ).select_related("group")
        self.fields["received_by"].queryset = Membership.objects.filter(
            Q(role=Membership.Role.KETUA) | Q(role=Membership.Role.BENDAHARA),
            group__grants__status__in=(Grant.Status.APPROVED, Grant.Status.DISBURSED),
        ).select_related("participant", "group")
        self.fields["received_by"].label_from_instance = lambda m: (
            f"{m.participant.full_name} – {m.get_role_display()}, {m.group.name}"
        )

    def clean(self):
        cleaned = super().clean()
        grant, amount = cleaned.get("grant"), cleaned.get("amount")
        if grant and amount and cleaned.get("received_by") and cleaned.get("date"):
            problems = services.disbursement_problems(
                grant, amount=amount, received_by=cleaned["received_by"], date=cleaned["date"]
            )
            if problems:
                raise ValidationError(problems)
        return cleaned


@admin.register(Disbursement)
class DisbursementAdmin(DisbursementColumns, admin.ModelAdmin):
    """Staff and supervisors record each tranche here; the handover minutes print from the list."""

    form = DisbursementForm
    list_display = ("reference_number", "grant", "date", "amount_display", "method", "handover")
    list_filter = ("method", ("grant__group__kelurahan", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("grant__group__kelurahan",)
    search_fields = ("reference_number", "grant__group__name")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.disbursement_record(
            grant=data["grant"],
            by=request.user,
            date=data["date"],
            amount=data["amount"],
            method=data["method"],
            reference_number=data["reference_number"],
            received_by=data["received_by"],
            note=data["note"],
        )
        obj.pk = saved.pk
