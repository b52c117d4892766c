from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from grants import selectors, services
from grants.admin.common import BADGE_COLOURS, INTERVAL, DisbursementColumns, ReadOnlyInline, money
from grants.exports import grants_export
from grants.forms import DecisionForm
from grants.models import Disbursement, Document, Grant, GrantEvent, MonitoringVisit, SpendingLine
from metro_slum import chronology
from metro_slum.admin import badge, group_place
from metro_slum.exports import ExportActions, export_response
from metro_slum.formatting import quantity, rupiah
from participants.fields import grouped
from participants.history import display_value


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
    fields = ("kind", "link", "size_display", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def link(self, obj):
        # A new tab: the supervisor reading the grant keeps its page.
        url = reverse("grants:document", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, obj.original_name
        )

    @admin.display(description=_("size"))
    def size_display(self, obj):
        return filesizeformat(obj.size)


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
    fields = ("spent_on", "description", "budget_line", "planned", "actual", "receipt", "advance")
    readonly_fields = fields

    @admin.display(description=_("advance"))
    def advance(self, obj):
        return obj.advance_reason if obj.is_advance else ""

    @admin.display(description=_("planned"))
    def planned(self, obj):
        return rupiah(obj.planned_amount)

    @admin.display(description=_("actual"))
    def actual(self, obj):
        return rupiah(obj.actual_amount)


class DatesFilter(admin.SimpleListFilter):
    """Grants whose group has a record dated out of order, by the rules of metro_slum.chronology
    (the same list as `manage.py check_dates`)."""

    title = _("dates of the group's records")
    parameter_name = "tanggal"

    def lookups(self, request, model_admin):
        return (("tidak_urut", _("a date out of order (e.g. a tranche before the approval)")),)

    def queryset(self, request, queryset):
        if self.value() == "tidak_urut":
            return queryset.filter(group_id__in=chronology.breaching_group_ids())
        return queryset


class MonitoringFilter(admin.SimpleListFilter):
    """Businesses whose monitoring visit is overdue, by the same rule as the work queue."""

    title = _("monitoring")
    parameter_name = "pemantauan"

    def lookups(self, request, model_admin):
        return (("terlambat", _("no visit in the last %(days)d days") % {"days": INTERVAL}),)

    def queryset(self, request, queryset):
        if self.value() == "terlambat":
            return queryset.filter(selectors.monitoring_due_q())
        return queryset


@admin.register(Grant)
class GrantAdmin(ExportActions, admin.ModelAdmin):
    """The supervisors' desk: every grant, where it stands, and the decisions to take."""

    # Seven narrow columns: at 1280 px the status and the money stay in view beside the filters.
    list_display = (
        "group_place",
        "business",
        "requested",
        "approved",
        "disbursed_display",
        "status_badge",
        "days_in_status",
    )
    list_display_links = ("group_place",)
    # Fifty a page, as the participant list: the supervisor pages on, the page stays quick.
    list_per_page = 50
    # Newest first, by the primary key's index: the model's order (programme, kelurahan) would
    # sort every grant of a province for each page.
    ordering = ("-pk",)
    list_filter = (
        "status",
        MonitoringFilter,
        DatesFilter,
        "group__kelurahan__kecamatan",
        "group__kelurahan",
        "group__business_type",
        "program",
    )
    search_fields = ("group__name", "group__kelurahan__name")
    actions = (
        "approve_selected",
        "reject_selected",
        "accept_accountability_selected",
        "close_selected",
        "export_xlsx",
    )
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
        ("requested", "approved", "rab"),
        "rab_lines",
        "purpose",
        ("bank_name", "account_number", "bank_account_holder"),
        ("status", "status_changed_at"),
        "rejection_reason",
        "document_checklist",
        "dates_in_order",
        ("created_by", "submitted_by", "submitted_at"),
        ("decided_by", "decided_at"),
    )
    readonly_fields = fields[:3] + (
        "requested",
        "approved",
        "rab",
        "rab_lines",
        "purpose",
        "bank_name",
        "account_number",
        "bank_account_holder",
        "status",
        "status_changed_at",
        "rejection_reason",
        "document_checklist",
        "dates_in_order",
        "created_by",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
    )

    def get_queryset(self, request):
        return selectors.grant_list()

    @admin.display(description=_("account number"))
    def account_number(self, obj):
        # Stored as digits, read as the passbook prints it: in groups of four.
        return grouped(obj.bank_account_number) or "–"

    def get_actions(self, request):
        """Only the steps the state table lets this user take (a reader sees none)."""
        actions = super().get_actions(request)
        for step, action in ACTION_OF_STEP.items():
            if not request.user.has_perm(Grant.workflow[step].permission):
                actions.pop(action, None)
        return actions

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

    @admin.display(description=_("group"), ordering="group__kelurahan__code")
    def group_place(self, obj):
        return group_place(obj.group)

    @admin.display(description=_("RAB total"))
    def rab(self, obj):
        total = services.rab_total(obj)
        if total == obj.amount_requested:
            return rupiah(total)
        return format_html(
            '{} <strong class="ms-warn">{}</strong>',
            rupiah(total),
            _("differs from the amount requested: the RAB changed after the proposal"),
        )

    @admin.display(description=_("RAB lines"))
    def rab_lines(self, obj):
        """The plan's budget, line by line, as the supervisor weighs it against the request."""
        lines = list(obj.action_plan.budget_lines.all()) if obj.action_plan_id else []
        if not lines:
            return "–"
        rows = format_html_join(
            "",
            '<tr><td>{}</td><td class="num">{} {}</td><td class="num">{}</td>'
            '<td class="num">{}</td></tr>',
            (
                (line.item, quantity(line.quantity), line.unit, rupiah(line.unit_price),
                 rupiah(line.line_total))
                for line in lines
            ),
        )  # fmt: skip
        return format_html(
            '<table class="rab-lines"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("item"), _("quantity"), _("unit price"), _("total"), rows,
        )  # fmt: skip

    @admin.display(description=_("business"), ordering="group__business_type")
    def business(self, obj):
        return obj.group.business_label

    @admin.display(description=_("requested"), ordering="amount_requested")
    def requested(self, obj):
        return money(obj.amount_requested)

    @admin.display(description=_("approved"), ordering="amount_approved")
    def approved(self, obj):
        return money(obj.amount_approved)

    @admin.display(description=_("disbursed"), ordering="disbursed")
    def disbursed_display(self, obj):
        return money(obj.disbursed)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return badge(obj.get_status_display(), BADGE_COLOURS[obj.status])

    @admin.display(description=_("days"), ordering="status_changed_at")
    def days_in_status(self, obj):
        return (timezone.now() - obj.status_changed_at).days

    @admin.display(description=_("documents"))
    def document_checklist(self, obj):
        present = {d.kind for d in obj.documents.all()}
        rows = [
            (
                "✔" if kind in present else "✘",
                "ms-ok" if kind in present else "ms-bad",
                Document.Kind(kind).label,
            )
            for kind in Document.REQUIRED_FOR_SUBMISSION
        ]
        checklist = format_html_join("", '<li><span class="{1}">{0}</span> {2}</li>', rows)
        missing = services.missing_documents(obj)
        summary = (
            format_html("<strong>{}</strong> {}", _("Missing:"), ", ".join(missing))
            if missing
            else _("All required documents are present.")
        )
        return format_html('<ul class="ms-flat">{}</ul>{}', checklist, summary)

    @admin.display(description=_("dates"))
    def dates_in_order(self, obj):
        found = [b.message for b in chronology.breaches(group_ids=[obj.group_id])]
        if not found:
            return _("Every date of this group's records is in order.")
        return format_html(
            '<strong class="ms-bad">{}</strong><ul class="ms-flat">{}</ul>',
            _("Dates out of order:"),
            format_html_join("", "<li>{}</li>", ((text,) for text in found)),
        )

    def _decide(self, request, queryset, step: str):
        """Take one step of the state table on each selected grant, after a confirmation page."""
        Grant.workflow.require(request.user, step)
        grants = list(queryset.select_related("group__kelurahan", "program"))
        single = grants[0] if len(grants) == 1 else None
        data = request.POST if "confirm" in request.POST else None
        form = DecisionForm(data, step=step, grant=single)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        refusals = []
        if form.is_valid():
            done = []
            for grant in grants:
                try:
                    form.take(grant, request.user)
                except ValidationError as error:
                    refusals.append(f"{grant.group.name}: {' '.join(error.messages)}")
                else:
                    grant.refresh_from_db()
                    done.append(f"{grant.group.name}: {grant.get_status_display()}.")
            if done:
                # Some went ahead: back to where the supervisor came from, each outcome named.
                for text in done:
                    self.message_user(request, text, messages.SUCCESS)
                for text in refusals:
                    self.message_user(request, text, messages.ERROR)
                return redirect(back) if back else None
            # Nothing went ahead (a rejection without its reason, say): the same page again, the
            # selection and what was typed kept, with what to put right.
        return render(
            request,
            "admin/grants/grant/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": Grant.workflow[step].label,
                "step": step,
                "grants": grants,
                "form": form,
                "refusals": refusals,
                "next": back,
                "lpj": [
                    (grant, figures, services.accountability_problems(grant, figures))
                    for grant, figures in (
                        (grant, services.accountability_figures(grant)) for grant in grants
                    )
                ]
                if step == "accept_accountability"
                else [],
                "action": request.POST.get("action"),
                "opts": self.model._meta,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        grant = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if grant is not None:
            extra_context["grant_steps"] = [
                (step, ACTION_OF_STEP[step.name])
                for step in Grant.workflow.allowed_steps(grant, request.user)
                if step.name in ACTION_OF_STEP
            ]
            extra_context["tranche"] = selectors.tranche_to_record(grant, request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """The grant's history is its events (who moved it, when, from what, to what, why)."""
        grant = self.get_object(request, object_id)
        if grant is None or not self.has_view_or_change_permission(request, grant):
            raise PermissionDenied
        return render(
            request,
            "admin/grants/grant/events.html",
            {
                **self.admin_site.each_context(request),
                "title": _("History of %(grant)s") % {"grant": grant},
                "original": grant,
                "events": grant.events.select_related("user"),
                "changes": field_changes(grant),
                "downloads": [
                    {
                        **row,
                        "by": " ".join(
                            part
                            for part in (
                                row["downloads__user__first_name"],
                                row["downloads__user__last_name"],
                            )
                            if part
                        )
                        or row["downloads__user__username"],
                    }
                    for row in grant.documents.filter(downloads__isnull=False)
                    .values(
                        "kind",
                        "original_name",
                        "downloads__user__username",
                        "downloads__user__first_name",
                        "downloads__user__last_name",
                        "downloads__at",
                    )
                    .order_by("-downloads__at")[:200]
                ],
                "opts": self.model._meta,
            },
        )

    @admin.action(
        description=_("Export the selected grants to Excel (XLSX)"), permissions=["export"]
    )
    def export_xlsx(self, request, queryset):
        label = _("%(count)d grants chosen in admin") % {"count": queryset.count()}
        return export_response(
            grants_export(user=request.user, queryset=queryset, scope_label=label)
        )

    @admin.action(description=_("Approve selected grants"))
    def approve_selected(self, request, queryset):
        return self._decide(request, queryset, "approve")

    @admin.action(description=_("Reject selected grants"))
    def reject_selected(self, request, queryset):
        return self._decide(request, queryset, "reject")

    @admin.action(description=_("Accept the accountability reports (LPJ) of the selected grants"))
    def accept_accountability_selected(self, request, queryset):
        return self._decide(request, queryset, "accept_accountability")

    @admin.action(description=_("Close the selected grants"))
    def close_selected(self, request, queryset):
        return self._decide(request, queryset, "close")


def field_changes(record, skip=("updated_at", "status_changed_at")):
    """Return (history record, [(field label, old, new)]) for each change of a record's fields."""
    history = list(record.history.select_related("history_user").order_by("history_date"))
    changes = []
    for previous, current in zip(history, history[1:], strict=False):
        delta = current.diff_against(previous)
        fields = [
            (
                capfirst(record._meta.get_field(c.field).verbose_name),
                display_value(type(record), c.field, c.old),
                display_value(type(record), c.field, c.new),
            )
            for c in delta.changes
            if c.field not in skip
        ]
        if fields:
            changes.append((current, fields))
    return changes


# The admin action that takes each supervisor's step, for the buttons on a grant's page.
ACTION_OF_STEP = {
    "approve": "approve_selected",
    "reject": "reject_selected",
    "accept_accountability": "accept_accountability_selected",
    "close": "close_selected",
}
