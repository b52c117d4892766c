"""Complaints in admin: a register to search and filter (handled on the portal's complaint page),
and the deadlines per category that staff keep."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints import selectors
from complaints.models import Complaint, ComplaintDeadline, ComplaintEvent
from metro_slum.admin import ReadOnlyAdminMixin, badge

STATUS_TONES = {
    Complaint.Status.RECEIVED: "amber",
    Complaint.Status.ASSESSED: "blue",
    Complaint.Status.IN_PROGRESS: "violet",
    Complaint.Status.RESOLVED: "green",
    Complaint.Status.REJECTED: "grey",
    Complaint.Status.APPEALED: "red",
}


class OverdueFilter(admin.SimpleListFilter):
    """Complaints past a deadline, by the same rule as the work queue."""

    title = _("deadline")
    parameter_name = "tenggat"

    def lookups(self, request, model_admin):
        return (("lewat", _("past a deadline")),)

    def queryset(self, request, queryset):
        if self.value() == "lewat":
            return queryset.filter(selectors.overdue())
        return queryset


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    fields = ("on", "from_status", "to_status", "user", "note")
    readonly_fields = fields


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "received_on", "category", "kelurahan", "status_badge", "owner")
    list_filter = (OverdueFilter, "status", "category", "channel", "kelurahan")
    list_select_related = ("kelurahan", "owner")
    search_fields = ("number", "lapor_ticket")
    date_hierarchy = "received_on"
    fields = (
        "number",
        "portal_link",
        "category",
        "channel",
        "received_on",
        "kelurahan",
        "group",
        "grant",
        "disbursement",
        "participant",
        "lapor_ticket",
        "status",
        "first_answer_due",
        "resolution_due",
        "answered_on",
        "owner",
        "public_answer",
    )
    readonly_fields = fields
    inlines = (EventInline,)

    @admin.display(description=_("handled on"))
    def portal_link(self, obj):
        """Steps, owner and answer are taken on the portal's complaint page."""
        return format_html(
            '<a href="{}">{}</a>', reverse("complaints:detail", args=[obj.pk]), obj.number
        )

    def get_queryset(self, request):
        # Sensitive complaints only for the designated officers; a worker's own kelurahan.
        queryset = super().get_queryset(request)
        return queryset if request is None else queryset.filter(selectors.visible_to(request.user))

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return badge(obj.get_status_display(), STATUS_TONES.get(obj.status))


@admin.register(ComplaintDeadline)
class ComplaintDeadlineAdmin(admin.ModelAdmin):
    list_display = ("category", "first_answer_days", "resolution_days")
    ordering = ("category",)

    def has_delete_permission(self, request, obj=None):
        return False
