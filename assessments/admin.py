from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
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
from metro_slum.admin import ReadOnlyAdminMixin
from metro_slum.formatting import rupiah

COMMON_FILTERS = (
    "status",
    ("group__kelurahan__kecamatan", admin.RelatedOnlyFieldListFilter),
    ("group__kelurahan", admin.RelatedOnlyFieldListFilter),
    ("group__program", admin.RelatedOnlyFieldListFilter),
)
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
        "current_income",
        "preferred_business",
        "willing_to_run_business",
    )
    raw_id_fields = ("membership",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("membership__participant")


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


class ReviewedRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Assessments and plans are written in the portal, where every rule is checked; here
    supervisors read them and decide through the actions."""

    list_select_related = ("group__kelurahan__kecamatan", "group__program")
    list_filter = COMMON_FILTERS
    search_fields = ("group__name", "group__kelurahan__name")
    readonly_fields = ("group", "status", *REVIEW_FIELDS, "created_at", "updated_at")

    @admin.display(description=_("kelurahan"), ordering="group__kelurahan__name")
    def kelurahan(self, obj):
        return obj.group.kelurahan

    @admin.display(description=_("kecamatan"), ordering="group__kelurahan__kecamatan__name")
    def kecamatan(self, obj):
        return obj.group.kelurahan.kecamatan


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(ReviewedRecordAdmin):
    list_display = (
        "group",
        "kelurahan",
        "kecamatan",
        "start_date",
        "end_date",
        "chosen_business",
        "status",
    )
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
    fields = ("item", "quantity", "unit", "unit_price", "line_total")
    readonly_fields = ("line_total",)


@admin.register(ActionPlan)
class ActionPlanAdmin(ReviewedRecordAdmin):
    list_display = ("group", "kelurahan", "kecamatan", "budget_total", "status")
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
