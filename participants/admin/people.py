from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from metro_slum.admin import AmountsInRupiah, LargeTableAdmin
from metro_slum.exports import ExportActions, export_response
from metro_slum.roles import may_see_full_numbers
from metro_slum.spreadsheets.admin_import import ProjectImportMixin
from participants import exports, ranks, services
from participants.admin.common import (
    GroupListFilter,
    IdentityNumbersGuard,
)
from participants.history import HistoryAdmin
from participants.identity import mask
from participants.models import HouseholdRank, Membership, Participant
from participants.resources import ParticipantResource
from participants.spreadsheet.template import template_workbook


class DesilFilter(admin.SimpleListFilter):
    """The household's latest DTSEN reading (annotated by the admin's queryset)."""

    title = _("DTSEN rank")
    parameter_name = "desil"
    BANDS = {"1-2": (1, 2), "3-5": (3, 5), "6-10": (6, 10)}

    def lookups(self, request, model_admin):
        return (
            ("1-2", _("Desil 1–2")),
            ("3-5", _("Desil 3–5")),
            ("6-10", _("Desil 6–10")),
            ("unknown", _("In DTSEN, rank unknown")),
            ("out", _("Not in DTSEN")),
            ("none", _("No reading yet")),
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value in self.BANDS:
            low, high = self.BANDS[value]
            return queryset.filter(rank_desil__gte=low, rank_desil__lte=high)
        if value == "unknown":
            return queryset.filter(rank_in_dtsen=True, rank_desil__isnull=True)
        if value == "out":
            return queryset.filter(rank_in_dtsen=False)
        if value == "none":
            return queryset.filter(rank_in_dtsen__isnull=True)
        return queryset


@admin.register(Participant)
class ParticipantAdmin(
    ExportActions,
    LargeTableAdmin,
    AmountsInRupiah,
    IdentityNumbersGuard,
    ProjectImportMixin,
    ImportMixin,
    HistoryAdmin,
):
    # Narrow columns: at 1280 px everything, the DTSEN rank and consent included, stays in view.
    list_display = (
        "full_name",
        "nik",
        "sex_code",
        "born",
        "place",
        "groups_display",
        "rank",
        "consent_given",
    )
    # Kecamatan and kelurahan are listed whole: "only those with participants" read the whole
    # participant table on every page.
    list_filter = (
        "kelurahan__kecamatan",
        "kelurahan",
        "sex",
        "memberships__program",
        ("memberships__group", GroupListFilter),
        DesilFilter,
    )
    list_select_related = ("kelurahan__kecamatan",)
    search_fields = ("full_name",)
    identity_search_fields = ("=nik",)
    search_help_text = _(
        "Search by name; those who see full NIKs may also search by the exact 16-digit NIK."
    )
    actions = ("export_xlsx", "export_csv")
    autocomplete_fields = ("kelurahan",)
    list_per_page = 50

    def get_queryset(self, request):
        memberships = Membership.objects.select_related("group").order_by("pk")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", queryset=memberships))
            .annotate(**ranks.rank_columns())
        )

    # Import: django-import-export's upload → preview → confirm pages, the project's importer.
    resource_classes = (ParticipantResource,)
    import_url_name = "admin:participants_participant_import"
    done_url_name = "admin:participants_participant_changelist"
    import_template_name = "admin/participants/participant/import.html"
    import_name = "participants"
    template_file_name = "templat_peserta.xlsx"
    errors_file_name = "kesalahan_impor_peserta.xlsx"

    def has_import_permission(self, request):
        # The preview says "update" for a NIK already registered: only for those who see NIKs.
        user = request.user
        return (
            user.has_perm("participants.add_participant")
            and user.has_perm("participants.change_participant")
            and may_see_full_numbers(user)
        )

    def finished_message(self, outcome) -> str:
        return _(
            "Import finished: %(created)d new, %(updated)d updated, %(unchanged)d "
            "unchanged, %(memberships)d group memberships added or changed."
        ) % vars(outcome)

    def import_template(self) -> bytes:
        return template_workbook()

    def get_list_display(self, request):
        if may_see_full_numbers(request.user):
            return self.list_display
        return tuple("nik_masked" if name == "nik" else name for name in self.list_display)

    def get_fieldsets(self, request, obj=None):
        identity = (
            ("nik", "kk_number")
            if may_see_full_numbers(request.user)
            else ("nik_masked", "kk_masked")
        )
        return (
            (
                _("Identity"),
                {"fields": (identity, "full_name", ("sex", "birth_place", "birth_date"))},
            ),
            (_("Address"), {"fields": ("address", ("rt", "rw"), "kelurahan", "phone")}),
            (
                _("Household and welfare"),
                {"fields": ("occupation", "monthly_income", "household_size", "rank_readings")},
            ),
            (
                _("Legal basis and consent"),
                {"fields": ("legal_basis", ("consent_given", "consent_date"), "notes")},
            ),
            (
                _("Record"),
                {
                    "classes": ("collapse",),
                    "fields": (("created_at", "created_by"), ("updated_at", "updated_by")),
                },
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ("created_at", "created_by", "updated_at", "updated_by", "rank_readings")
        if not may_see_full_numbers(request.user):
            readonly += ("nik_masked", "kk_masked")
        return readonly

    def save_model(self, request, obj, form, change):
        services.participant_save(participant=obj, by=request.user)

    def _export(self, request, queryset, file_format):
        scope = exports.Scope(
            participant_ids=queryset.values("pk"),
            label_override=_("%(count)d participants chosen in admin")
            % {"count": queryset.count()},
        )
        return export_response(
            exports.participants_export(user=request.user, scope=scope, file_format=file_format)
        )

    @admin.action(
        description=_("Export the selected participants to Excel (XLSX)"), permissions=["export"]
    )
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")

    @admin.action(description=_("Export the selected participants to CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.display(description=_("NIK"))
    def nik_masked(self, obj):
        return mask(obj.nik)

    @admin.display(description=_("family card number (No. KK)"))
    def kk_masked(self, obj):
        return mask(obj.kk_number)

    @admin.display(description=_("kelurahan"), ordering="kelurahan__name")
    def place(self, obj):
        return format_html("{}<br><small>{}</small>", obj.kelurahan.name, obj.kelurahan.kecamatan)

    @admin.display(description=_("L/P"), ordering="sex")
    def sex_code(self, obj):
        return obj.sex

    @admin.display(description=_("born"), ordering="birth_date")
    def born(self, obj):
        return f"{obj.birth_date:%d/%m/%Y}"

    @admin.display(description=_("DTSEN"), ordering="rank_desil")
    def rank(self, obj):
        return ranks.summary(obj.rank_in_dtsen, obj.rank_desil, obj.rank_as_of)

    @admin.display(description=_("DTSEN rank of the household"))
    def rank_readings(self, obj):
        readings = HouseholdRank.objects.filter(kk_number=obj.kk_number)[:8] if obj.pk else []
        if not readings:
            return _("No reading yet: import the DTSEN list or record a field verification.")
        return format_html_join(
            mark_safe("<br>"),
            "{} <small>– {}</small>",
            ((reading.summary, reading.get_source_display()) for reading in readings),
        )

    @admin.display(description=_("group (role)"))
    def groups_display(self, obj):
        return ", ".join(f"{m.group.name} ({m.get_role_display()})" for m in obj.memberships.all())
