from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments import services
from assessments.models import (
    ActionPlan,
    Activity,
    BudgetLine,
    MemberProfile,
    NeedsAssessment,
    Problem,
)
from metro_slum.admin import ReadOnlyAdminMixin, badge, group_place
from metro_slum.formatting import quantity, rupiah
from participants.history import HistoryAdmin

# The reference lists whole: "only those with records" would read every record of a province.
COMMON_FILTERS = ("status", "group__kelurahan__kecamatan", "group__kelurahan", "group__program")
# Waiting for a supervisor in amber, done in green, back with the social worker in red.
STATUS_COLOURS = {
    "submitted": "amber",
    "reviewed": "green",
    "approved": "green",
    "returned": "red",
}
REVIEW_FIELDS = ("submitted_at", "submitted_by", "reviewed_at", "reviewed_by")


class ProblemInline(admin.TabularInline):
    model = Problem
    extra = 0
    fields = ("rank", "category", "description", "votes")


class MemberProfileInline(admin.TabularInline):
    model = MemberProfile
    extra = 0
    fields = (
        "membership",
        "attended",
        "interests",
        "skills",
        "business_experience",
        "income",
        "preferred_business",
        "willing_to_run_business",
    )
    readonly_fields = ("income",)
    raw_id_fields = ("membership",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("membership__participant")

    @admin.display(description=_("current monthly income"))
    def income(self, obj):
        return rupiah(obj.current_income)


def _decide(modeladmin, request, queryset, decide, done):
    """Apply one decision to each selected record through the service, reporting each result."""
    for record in queryset:
        try:
            decide(record, by=request.user)
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{record.group.name}: {' '.join(error.messages)}", messages.ERROR
            )
        else:
            modeladmin.message_user(request, f"{record.group.name}: {done}", messages.SUCCESS)


class ReviewedRecordAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Assessments and plans are written in the portal, where every rule is checked; here
    supervisors read them and decide through the actions."""

    list_select_related = ("group__kelurahan__kecamatan", "group__program")
    list_filter = COMMON_FILTERS
    search_fields = ("group__name", "group__kelurahan__name")
    readonly_fields = ("group", "status", *REVIEW_FIELDS, "created_at", "updated_at")
    # Newest first, by the primary key's index (the model's order, by kelurahan, would sort
    # every record of a province for each page).
    ordering = ("-pk",)

    # The portal page where the note for a return is written.
    portal_url_name = ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if record is not None:
            steps = record.review_steps(request.user)
            if steps:
                extra_context["review_steps"] = steps
                extra_context["review_url"] = reverse(self.portal_url_name, args=[record.group_id])
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("group"), ordering="group__kelurahan__code")
    def group_place(self, obj):
        return group_place(obj.group)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return badge(obj.get_status_display(), STATUS_COLOURS.get(obj.status, "grey"))


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(ReviewedRecordAdmin):
    portal_url_name = "assessments:assessment"
    list_display = ("group_place", "dates", "chosen_business", "status_badge")
    inlines = (ProblemInline, MemberProfileInline)
    actions = ("mark_reviewed",)
    fields = (
        "group",
        ("start_date", "end_date"),
        "venue",
        "facilitators",
        ("chosen_business", "chosen_business_other"),
        "chosen_business_reason",
        "status",
        "review_note",
        ("submitted_at", "submitted_by"),
        ("reviewed_at", "reviewed_by"),
    )

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, obj):
        if not obj.start_date:
            return "–"
        return f"{obj.start_date:%d/%m/%Y}–{obj.end_date:%d/%m/%Y}" if obj.end_date else ""

    @admin.action(description=_("Mark selected assessments as reviewed"))
    def mark_reviewed(self, request, queryset):
        _decide(
            self,
            request,
            queryset.select_related("group"),
            lambda r, by: services.assessment_review(assessment=r, by=by),
            _("marked as reviewed."),
        )


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ("description", "responsible", "start_date", "end_date")
    raw_id_fields = ("responsible",)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ("item", "amount", "unit", "price", "total")
    readonly_fields = ("amount", "price", "total")

    @admin.display(description=_("quantity"))
    def amount(self, obj):
        return quantity(obj.quantity)

    @admin.display(description=_("unit price"))
    def price(self, obj):
        return rupiah(obj.unit_price)

    @admin.display(description=_("total"))
    def total(self, obj):
        return rupiah(obj.line_total)


@admin.register(ActionPlan)
class ActionPlanAdmin(ReviewedRecordAdmin):
    portal_url_name = "assessments:plan"
    list_display = ("group_place", "budget_total", "status_badge")
    inlines = (ActivityInline, BudgetLineInline)
    actions = ("approve",)
    fields = (
        "group",
        "goal",
        "status",
        "review_note",
        ("submitted_at", "submitted_by"),
        ("reviewed_at", "reviewed_by"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rab_total=Sum("budget_lines__line_total"))

    @admin.display(description=_("budget total"), ordering="rab_total")
    def budget_total(self, obj):
        return rupiah(obj.rab_total or 0)

    @admin.action(description=_("Approve selected action plans"))
    def approve(self, request, queryset):
        _decide(
            self,
            request,
            queryset.select_related("group"),
            lambda r, by: services.action_plan_approve(plan=r, by=by),
            _("approved."),
        )
