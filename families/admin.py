from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
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
    AidDesilRange,
    AidKind,
    Evidence,
    FollowUp,
    FollowUpEvent,
    Measurement,
    MemberMeasurement,
    PovertyLine,
)
from families.resources import AidResource
from families.services import aid_ranges
from families.template import aid_template
from metro_slum.admin import ReadOnlyAdminMixin, badge, group_place
from metro_slum.formatting import quantity, rupiah
from metro_slum.roles import may_see_full_numbers
from metro_slum.spreadsheets.admin_import import ProjectImportMixin
from participants.identity import mask
from participants.models import Kelurahan, Participant

# The households a page of "in range, receiving nothing" lists; the rest by kelurahan.
IN_RANGE_SHOWN = 500

STATUS_COLOURS = {
    FollowUp.Status.OPEN: "amber",
    FollowUp.Status.REFERRED: "blue",
    FollowUp.Status.IN_PROGRESS: "violet",
    FollowUp.Status.RESOLVED: "green",
    FollowUp.Status.DECLINED: "grey",
    FollowUp.Status.NOT_POSSIBLE: "dark",
}


class OutsideRangeFilter(admin.SimpleListFilter):
    """Aid received outside its kind's desil range on the day (families.services.aid_ranges)."""

    title = _("desil range")
    parameter_name = "rentang"

    def lookups(self, request, model_admin):
        return (("luar", _("received outside its range")),)

    def queryset(self, request, queryset):
        if self.value() == "luar":
            return queryset.filter(outside_range=True)
        return queryset


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


class AidDesilRangeInline(admin.TabularInline):
    model = AidDesilRange
    extra = 0
    fields = ("desil_from", "desil_to", "valid_from", "valid_until", "source")


@admin.register(AidKind)
class AidKindAdmin(admin.ModelAdmin):
    list_display = (
        "name", "in_kind_unit", "repeat_months", "desil_range", "is_business_capital", "is_active",
    )  # fmt: skip
    list_filter = ("is_active",)
    inlines = (AidDesilRangeInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("desil_ranges")

    @admin.display(description=_("desil range today"))
    def desil_range(self, obj):
        today = timezone.localdate()
        for kind_range in obj.desil_ranges.all():
            if kind_range.valid_from <= today and (
                kind_range.valid_until is None or kind_range.valid_until >= today
            ):
                return f"{kind_range.desil_from}–{kind_range.desil_to}"
        return "–"

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

    list_display = (
        "received_on", "kind", "recipient", "source", "amount", "possible_double", "range_flag",
    )  # fmt: skip
    list_filter = (
        OutsideRangeFilter,
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

    change_list_template = "admin/families/aid/change_list.html"

    def get_queryset(self, request):
        return aid_ranges.with_range_check(
            super().get_queryset(request).select_related("participant__kelurahan", "kind")
        )

    def get_urls(self):
        return [
            path(
                "dalam-rentang/",
                self.admin_site.admin_view(self.in_range_view),
                name="families_aid_in_range",
            ),
            *super().get_urls(),
        ]

    def in_range_view(self, request):
        """The households in an aid kind's desil range today that receive nothing of it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        people = Participant.objects.select_related("kelurahan")
        places = Kelurahan.objects.filter(participants__isnull=False).distinct().order_by("name")
        chosen = request.GET.get("kelurahan", "")
        if chosen.isdigit():
            people = people.filter(kelurahan_id=int(chosen))
        households = {}
        for person in people.order_by("kelurahan__name", "full_name", "pk"):
            households.setdefault(person.kk_number, person)
        missing = aid_ranges.missing_aid(households)
        rows = [(households[kk], kinds) for kk, kinds in missing.items()]
        rows.sort(key=lambda row: (row[0].kelurahan.name, row[0].full_name))
        total = len(rows)
        return TemplateResponse(
            request,
            "admin/families/aid/in_range.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("In an aid kind's desil range, receiving nothing"),
                "rows": rows[:IN_RANGE_SHOWN],
                "total": total,
                "more": max(total - IN_RANGE_SHOWN, 0),
                "places": places,
                "chosen": int(chosen) if chosen.isdigit() else None,
                "ranges": aid_ranges.ranges_today(timezone.localdate()),
            },
        )

    @admin.display(description=_("desil range"), boolean=False)
    def range_flag(self, obj):
        words = aid_ranges.outside_words(obj)
        return format_html('<span class="errornote-inline">{}</span>', words) if words else "–"

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
        "dtsen",
        "active",
        "household_change",
    )
    readonly_fields = fields

    @admin.display(description=_("DTSEN"))
    def dtsen(self, obj):
        return obj.dtsen_words

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
