"""DTSEN in admin: the households' ranks (a reading added one by one, or a whole DTSEN list
imported), the lists imported, and the residents they name who are not in the programme."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from metro_slum.admin import ReadOnlyAdminMixin
from metro_slum.roles import may_see_full_numbers
from metro_slum.spreadsheets.admin_import import ProjectImportMixin
from participants import ranks
from participants.admin.common import IdentityNumbersGuard
from participants.history import HistoryAdmin
from participants.identity import mask
from participants.models import Candidate, DtsenList, HouseholdRank
from participants.quarters import parse_quarter
from participants.resources import DtsenListResource
from participants.spreadsheet.template import dtsen_template


class HouseholdRankForm(forms.ModelForm):
    class Meta:
        model = HouseholdRank
        fields = ("kk_number", "in_dtsen", "desil", "quarter", "dtsen_id", "source", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The quarter as clerks write it ("Q3 2026", "TW3 2026"), checked by parse_quarter.
        if "quarter" in self.fields:  # not on the read-only page of a reading
            self.fields["quarter"].validators = []

    def clean_quarter(self):
        return parse_quarter(self.cleaned_data["quarter"])


@admin.register(HouseholdRank)
class HouseholdRankAdmin(
    IdentityNumbersGuard, ProjectImportMixin, ImportMixin, HistoryAdmin, admin.ModelAdmin
):
    """Readings are kept, never changed: a new reading is added (here, or by a DTSEN list)."""

    list_display = ("kk_number", "standing_display", "quarter", "source", "recorded")
    list_filter = ("source", "quarter", "in_dtsen")
    search_fields = ("=kk_number", "dtsen_id")
    identity_search_fields = ("kk_number",)
    form = HouseholdRankForm
    fields = HouseholdRankForm.Meta.fields
    list_per_page = 50
    show_full_result_count = False

    resource_classes = (DtsenListResource,)
    import_url_name = "admin:participants_householdrank_import"
    done_url_name = "admin:participants_candidate_changelist"
    import_template_name = "admin/participants/householdrank/import.html"
    import_name = "participants_dtsen"
    template_file_name = "templat_dtsen.xlsx"
    errors_file_name = "kesalahan_impor_dtsen.xlsx"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def has_import_permission(self, request):
        # Rows name people by NIK: only for those who may see NIKs.
        return request.user.has_perm("participants.add_householdrank") and may_see_full_numbers(
            request.user
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def import_template(self) -> bytes:
        return dtsen_template()

    def finished_message(self, outcome) -> str:
        return _(
            "DTSEN list imported: %(ranks_recorded)d household ranks recorded (%(ranks_unchanged)d "
            "already recorded), %(matched_by_nik)d participants found by NIK, %(matched_by_kk)d "
            "households by No. KK, %(candidates)d residents listed as candidates."
        ) % vars(outcome)

    def save_model(self, request, obj, form, change):
        # Checked and recorded like every reading (participants.ranks).
        saved = ranks.rank_record(
            kk_number=obj.kk_number,
            quarter=obj.quarter,
            source=obj.source,
            by=request.user,
            desil=obj.desil,
            in_dtsen=obj.in_dtsen,
            dtsen_id=obj.dtsen_id,
            note=obj.note,
        )
        obj.pk = saved.pk

    def get_list_display(self, request):
        if may_see_full_numbers(request.user):
            return self.list_display
        return tuple("kk_masked" if n == "kk_number" else n for n in self.list_display)

    @admin.display(description=_("family card number (No. KK)"))
    def kk_masked(self, obj):
        return mask(obj.kk_number)

    @admin.display(description=_("DTSEN rank"), ordering="desil")
    def standing_display(self, obj):
        if obj.stale:
            return format_html("{} <small>({})</small>", obj.standing, _("needs re-checking"))
        return obj.standing

    @admin.display(description=_("recorded"), ordering="recorded_at")
    def recorded(self, obj):
        by = obj.recorded_by.get_full_name() or obj.recorded_by.username if obj.recorded_by else ""
        return format_html("{}<br><small>{}</small>", f"{obj.recorded_at:%d/%m/%Y}", by)


@admin.register(DtsenList)
class DtsenListAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "imported_at", "file_name", "quarters", "rows", "ranks_recorded", "matched_by_nik",
        "matched_by_kk", "candidates", "imported_by",
    )  # fmt: skip
    list_select_related = ("imported_by",)


@admin.register(Candidate)
class CandidateAdmin(IdentityNumbersGuard, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who a DTSEN list names as poor in a kelurahan but is not in the programme, poorest first;
    registered from the portal in one step."""

    list_display = ("full_name", "nik", "place", "rank", "register")
    list_filter = (("kelurahan", admin.RelatedOnlyFieldListFilter), "quarter")
    search_fields = ("full_name", "=nik")
    identity_search_fields = ("nik",)
    list_per_page = 50

    def get_list_display(self, request):
        shown = tuple(
            "nik_masked" if n == "nik" and not may_see_full_numbers(request.user) else n
            for n in self.list_display
        )
        if not request.user.has_perm("participants.add_participant"):
            shown = tuple(n for n in shown if n != "register")
        return shown

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .unregistered()
            .select_related("kelurahan")
            .annotate(**ranks.rank_columns())
            .order_by("kelurahan__name", "rank_desil", "full_name", "pk")
        )

    @admin.display(description=_("NIK"))
    def nik_masked(self, obj):
        return mask(obj.nik)

    @admin.display(description=_("address"), ordering="kelurahan__name")
    def place(self, obj):
        rt_rw = f"RT {obj.rt}/RW {obj.rw}" if obj.rt or obj.rw else ""
        return format_html("{}<br><small>{} {}</small>", obj.address, rt_rw, obj.kelurahan.name)

    @admin.display(description=_("DTSEN"), ordering="rank_desil")
    def rank(self, obj):
        return ranks.summary(obj.rank_in_dtsen, obj.rank_desil, obj.rank_quarter)

    @admin.display(description=_("register"))
    def register(self, obj):
        return format_html(
            '<a href="{}?calon={}">{}</a>',
            reverse("participants:participant_create"),
            obj.pk,
            _("Register"),
        )
