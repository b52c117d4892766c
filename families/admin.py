from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from families import selectors
from families.models import (
    Aid,
    AidKind,
    Evidence,
    FollowUp,
    FollowUpEvent,
    Measurement,
    MemberMeasurement,
    PovertyLine,
)
from families.resources import AidResource
from families.template import aid_template
from metro_slum.admin import ReadOnlyAdminMixin, badge, group_place
from metro_slum.formatting import quantity, rupiah
from metro_slum.roles import may_see_full_numbers
from metro_slum.spreadsheets.admin_import import ProjectImportMixin
from participants.identity import mask

STATUS_COLOURS = {
    FollowUp.Status.OPEN: "amber",
    FollowUp.Status.REFERRED: "blue",
    FollowUp.Status.IN_PROGRESS: "violet",
    FollowUp.Status.RESOLVED: "green",
    FollowUp.Status.DECLINED: "grey",
    FollowUp.Status.NOT_POSSIBLE: "dark",
}


class OverdueFilter(admin.SimpleListFilter):
    """Follow-ups past their date, by the same rule as the work queue."""

    title = _("date")
    parameter_name = "tenggat"

    def lookups(self, request, model_admin):
        return (("lewat", _("past its date, not settled")),)

    def queryset(self, request, queryset):
        if self.value() == "lewat":
            return queryset.filter(selectors.overdue_q())
        return queryset


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FollowUpEvent
    extra = 0
    fields = ("on", "from_status", "to_status", "user", "note")
    readonly_fields = fields


class EvidenceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("link", "uploaded_by", "uploaded_at", "downloaded")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("downloads__user")

    @admin.display(description=_("file"))
    def link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("families:evidence", args=[obj.pk]), obj.original_name
        )

    @admin.display(description=_("opened by"))
    def downloaded(self, obj):
        """Who opened the evidence (a KTP, a BPJS card is personal data), newest first."""
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} · {}",
                ((date_format(localtime(d.at), "d/m/Y H:i"), d.user) for d in obj.downloads.all()),
            )
            or "–"
        )


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every follow-up, where it stands; status changes are made on the follow-up's page."""

    list_display = ("need_short", "group_place", "service", "status_badge", "due_date", "portal")
    list_filter = (
        OverdueFilter,
        "status",
        "service",
        "category",
        ("group__kelurahan", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("need", "group__name", "participant__full_name", "referred_to")
    date_hierarchy = "due_date"
    inlines = (EventInline, EvidenceInline)
    fields = (
        "group",
        "problem",
        *FollowUp.CORRECTABLE_FIELDS,
        "status",
        "status_date",
        "created_by",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group__kelurahan__kecamatan")

    @admin.display(description=_("what is needed"), ordering="need")
    def need_short(self, obj):
        return obj.need[:80]

    @admin.display(description=_("group"), ordering="group__name")
    def group_place(self, obj):
        return group_place(obj.group)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if obj.is_overdue(timezone.localdate()):
            label = f"{label} · {_('overdue')}"
            return badge(label, "red")
        return badge(label, STATUS_COLOURS.get(obj.status))

    @admin.display(description=_("page"))
    def portal(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("families:follow_up", args=[obj.pk]), _("open")
        )


@admin.register(AidKind)
class AidKindAdmin(admin.ModelAdmin):
    list_display = ("name", "in_kind_unit", "repeat_months", "is_business_capital", "is_active")
    list_filter = ("is_active",)

    def has_delete_permission(self, request, obj=None):
        # A kind in use stays (PROTECT); one no longer given is marked "not in use".
        return False


@admin.register(PovertyLine)
class PovertyLineAdmin(admin.ModelAdmin):
    list_display = ("year", "amount_display", "source")

    @admin.display(description=_("rupiah per person per month"), ordering="amount")
    def amount_display(self, obj):
        return rupiah(obj.amount)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Aid)
class AidAdmin(ProjectImportMixin, ImportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The aid register; entries come from the person's page or from an Excel list."""

    list_display = ("received_on", "kind", "recipient", "source", "amount", "possible_double")
    list_filter = (
        "possible_double",
        "kind",
        ("participant__kelurahan", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("participant__full_name", "source", "note")
    date_hierarchy = "received_on"
    resource_classes = (AidResource,)
    import_url_name = "admin:families_aid_import"
    done_url_name = "admin:families_aid_changelist"
    import_template_name = "admin/families/aid/import.html"
    import_name = "families_aid"
    template_file_name = "templat_bantuan.xlsx"
    errors_file_name = "kesalahan_impor_bantuan.xlsx"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant__kelurahan", "kind")

    def has_import_permission(self, request):
        # Rows name their recipients by NIK: only for those who may see NIKs.
        return request.user.has_perm("families.add_aid") and may_see_full_numbers(request.user)

    def import_template(self) -> bytes:
        return aid_template()

    def finished_message(self, outcome) -> str:
        return _(
            "Import finished: %(created)d aid records, %(doubles)d marked as possible doubles."
        ) % vars(outcome)

    @admin.display(description=_("recipient"), ordering="participant__full_name")
    def recipient(self, obj):
        return format_html(
            "{}<br><small>{} · {}</small>",
            obj.participant.full_name,
            obj.participant.kelurahan.name,
            mask(obj.participant.kk_number),
        )

    @admin.display(description=_("value / quantity"))
    def amount(self, obj):
        if obj.value is not None:
            return rupiah(obj.value)
        return f"{quantity(obj.quantity)} {obj.kind.in_kind_unit}"


class MemberMeasurementInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MemberMeasurement
    extra = 0
    fields = (
        "participant",
        "income",
        "household_size",
        "dtks_status",
        "active",
        "household_change",
    )
    readonly_fields = fields

    @admin.display(description=_("monthly income (Rp)"))
    def income(self, obj):
        return rupiah(obj.monthly_income)


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("group_place", "milestone", "measured_on", "business_running")
    list_filter = (
        "milestone",
        "business_running",
        ("group__kelurahan", admin.RelatedOnlyFieldListFilter),
        "group__program",
    )
    inlines = (MemberMeasurementInline,)
    fields = ("group", "milestone", "measured_on", "business", "business_running", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group__kelurahan__kecamatan")

    @admin.display(description=_("group"), ordering="group__name")
    def group_place(self, obj):
        return group_place(obj.group)
