"""The slum survey in admin: the method as data (criteria, sub-criteria, the guideline's bands),
the surveys' register with the Pokja's sheet import, the neighbourhood works, the boundaries."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from metro_slum.admin import ReadOnlyAdminMixin, badge
from metro_slum.spreadsheets.admin_import import ProjectImportMixin
from slums import importer, services
from slums.models import (
    Boundary,
    ClassBand,
    Criterion,
    Guideline,
    Kawasan,
    LocationAssessment,
    ShareBand,
    SubCriterion,
    Survey,
    Target,
    Work,
)
from slums.resources import SurveyResource

CLASS_TONES = {"none": "green", "light": "amber", "medium": "violet", "heavy": "red"}
STATUS_TONES = {"draft": "grey", "submitted": "amber", "reviewed": "green", "returned": "red"}


class SubCriterionInline(admin.TabularInline):
    model = SubCriterion
    extra = 0
    fields = ("code", "name", "basis", "question")


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """A changed sub-criterion (what it is counted against) changes every share: the guideline in
    force gets a new version and every survey is scored again."""

    list_display = ("number", "name")
    inlines = (SubCriterionInline,)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        guideline = Guideline.objects.filter(in_force=True).first()
        if guideline is not None and any(formset.has_changed() for formset in formsets):
            count = services.bands_changed(guideline)
            messages.info(
                request,
                _("Bands saved as version %(version)d; %(count)d surveys were scored again.")
                % {"version": guideline.version, "count": count},
            )


class StartsAtZero(forms.BaseInlineFormSet):
    """A band list that covers every value: it starts at 0 (services.check_bands)."""

    start_field = ""

    def clean(self):
        super().clean()
        starts = [
            form.cleaned_data[self.start_field]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        services.check_bands(self.start_field, starts)


class ShareBands(StartsAtZero):
    start_field = "from_percent"


class ClassBands(StartsAtZero):
    start_field = "from_score"


class ShareBandInline(admin.TabularInline):
    model = ShareBand
    formset = ShareBands
    extra = 0


class ClassBandInline(admin.TabularInline):
    model = ClassBand
    formset = ClassBands
    extra = 0


@admin.register(Guideline)
class GuidelineAdmin(admin.ModelAdmin):
    """The bands in force; saving them scores every survey again under a new version."""

    list_display = ("name", "in_force", "version", "changed_at")
    readonly_fields = ("version", "changed_at")
    inlines = (ShareBandInline, ClassBandInline)

    def has_delete_permission(self, request, obj=None):
        # The bands every score was computed with stay on record; a new guideline is added.
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets) or form.has_changed():
            count = services.bands_changed(form.instance)
            messages.info(
                request,
                _("Bands saved as version %(version)d; %(count)d surveys were scored again.")
                % {"version": form.instance.version, "count": count},
            )


@admin.register(Survey)
class SurveyAdmin(ProjectImportMixin, ImportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The surveys' register: entered on the portal (one sub-criterion a screen) or imported
    from the Pokja's sheet; reviewed on the survey's page."""

    list_display = (
        "rt_label",
        "kelurahan",
        "surveyed_on",
        "status_badge",
        "score",
        "class_badge",
        "page",
    )
    list_filter = ("status", "slum_class", "is_baseline", "rt__rw__kelurahan")
    list_select_related = ("rt__rw__kelurahan",)
    date_hierarchy = "surveyed_on"
    search_fields = ("surveyor", "rt__code", "rt__rw__code")
    exclude = ()
    resource_classes = (SurveyResource,)
    import_url_name = "admin:slums_survey_import"
    done_url_name = "admin:slums_survey_changelist"
    import_template_name = "admin/slums/survey/import.html"
    import_name = "slums_survey"
    template_file_name = "templat_survei_kumuh.xlsx"
    errors_file_name = "kesalahan_impor_survei_kumuh.xlsx"

    def has_import_permission(self, request):
        return request.user.has_perm("slums.add_survey")

    def import_template(self) -> bytes:
        return importer.survey_template()

    def finished_message(self, outcome) -> str:
        return _("Import finished: %(created)d surveys submitted for review.") % vars(outcome)

    @admin.display(description=_("RT"), ordering="rt__rw__code")
    def rt_label(self, obj):
        return obj.rt.label

    @admin.display(description=_("page"))
    def page(self, obj):
        """The survey's page on the portal, where it is reviewed."""
        return format_html(
            '<a href="{}">{}</a>', reverse("slums:survey", args=[obj.pk]), _("open on the portal")
        )

    @admin.display(description=_("kelurahan"), ordering="rt__rw__kelurahan__name")
    def kelurahan(self, obj):
        return obj.rt.rw.kelurahan.name

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return badge(obj.get_status_display(), STATUS_TONES.get(obj.status))

    @admin.display(description=_("class"), ordering="slum_class")
    def class_badge(self, obj):
        if not obj.slum_class:
            return "–"
        return badge(obj.get_slum_class_display(), CLASS_TONES.get(obj.slum_class))


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ("what", "rt", "criterion", "delivered_by", "completed_on")
    list_filter = ("criterion", "rt__rw__kelurahan")
    list_select_related = ("rt__rw__kelurahan", "criterion")
    search_fields = ("what", "delivered_by")
    date_hierarchy = "completed_on"
    autocomplete_fields = ("rt",)
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("criterion", "aid_kind", "follow_up_service")
    list_filter = ("criterion",)
    list_select_related = ("criterion", "aid_kind")


@admin.register(Boundary)
class BoundaryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Loaded from GeoJSON on the portal's boundary page (checked there)."""

    list_display = ("__str__", "kelurahan", "illustrative", "loaded_at")
    list_filter = ("kelurahan", "illustrative")
    list_select_related = ("kelurahan", "rt__rw__kelurahan")
    exclude = ("geometry",)


class KawasanForm(forms.ModelForm):
    class Meta:
        model = Kawasan
        fields = ("kelurahan", "name", "decree", "rts")

    def clean(self):
        data = super().clean()
        rts = data.get("rts")
        if rts is not None:
            try:
                services.check_kawasan_rts(data.get("kelurahan"), rts.select_related("rw"))
            except forms.ValidationError as error:
                self.add_error("rts", error.message_dict["rts"])
        return data


@admin.register(Kawasan)
class KawasanAdmin(admin.ModelAdmin):
    """The slum areas the city's decree lists: named sets of a kelurahan's RTs."""

    form = KawasanForm
    list_display = ("name", "kelurahan", "decree")
    list_filter = ("kelurahan",)
    list_select_related = ("kelurahan",)
    search_fields = ("name", "decree")
    # A list to filter and move across, each part labelled (select2's many-value search is not).
    filter_horizontal = ("rts",)


@admin.register(LocationAssessment)
class LocationAssessmentAdmin(admin.ModelAdmin):
    """Land legality and the non-physical considerations of an RT or a kawasan: beside the
    physical score, never in it."""

    list_display = (
        "__str__",
        "land_status_clear",
        "fits_spatial_plan",
        "strategic_value",
        "population_density",
        "socio_economic_potential",
    )
    list_filter = ("assessed_on", "land_status_clear", "fits_spatial_plan")
    list_select_related = ("rt__rw__kelurahan", "kawasan__kelurahan")
    autocomplete_fields = ("rt", "kawasan")
    exclude = ("recorded_by",)
    date_hierarchy = "assessed_on"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
