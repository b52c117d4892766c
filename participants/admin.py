import io

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from metro_slum.admin import AmountsInRupiah, LargeTableAdmin, ReadOnlyAdminMixin
from metro_slum.formatting import rupiah
from participants import exports, selectors, services, uploads
from participants.history import HistoryAdmin
from participants.identity import (
    looks_like_identity_number,
    mask,
    may_see_full_numbers,
    normalize_identity_number,
)
from participants.models import (
    MAX_GROUP_MEMBERS,
    ExportRecord,
    Kecamatan,
    Kelurahan,
    KelurahanAssignment,
    Membership,
    Participant,
    ParticipantGroup,
    Program,
    WaitingFile,
)
from participants.resources import ParticipantResource, ProjectImportMixin
from participants.spreadsheet.report import error_report
from participants.spreadsheet.template import template_workbook

User = get_user_model()


IDENTITY_FIELDS = ("nik", "kk_number")


# Where in the session the refused rows' report of the last import waits (its file's name).
ERROR_REPORT_KEY = "participant_import_errors"


class IdentityNumbersGuard:
    """No admin page may tell a user who sees masked numbers whether a NIK or No. KK is right.

    For such a user the identity numbers cannot be searched (a typed number matches no name, so a
    right and a wrong number get the same empty answer), filtered or looked up in the URL
    (`?nik__startswith=` answers 400 whatever the prefix), or sorted on.
    """

    identity_search_fields: tuple = ()

    def get_search_results(self, request, queryset, search_term):
        identity = self.identity_search_fields and looks_like_identity_number(search_term)
        if identity and may_see_full_numbers(request.user):
            # "1872 0110 0485 0003" and "1872.0110.0485.0003" are the same NIK: looked up in
            # the identity number's own index only (a NIK is in no name).
            number = normalize_identity_number(search_term)
            lookups = Q()
            for field in self.identity_search_fields:
                lookups |= Q(**{field.lstrip("="): number})
            return queryset.filter(lookups), False
        return super().get_search_results(request, queryset, search_term)

    def lookup_allowed(self, lookup, value, request=None):
        parts = lookup.split("__")
        if any(part in IDENTITY_FIELDS for part in parts) and not may_see_full_numbers(
            getattr(request, "user", None)
        ):
            return False
        return super().lookup_allowed(lookup, value, request)


class GroupListFilter(admin.RelatedFieldListFilter):
    """Filter by group: the groups of the kelurahan chosen in the kelurahan filter (a city holds
    too many groups to list them all), when they are few enough to choose from; the chosen group
    stays listed whatever else is chosen."""

    MOST = 200
    KELURAHAN_PARAMETERS = ("kelurahan__id__exact", "group__kelurahan__id__exact")

    def field_choices(self, field, request, model_admin):
        chosen = [request.GET.get(name) for name in self.KELURAHAN_PARAMETERS]
        kelurahan = next((value for value in chosen if value and value.isdigit()), None)
        condition = Q(pk__in=[])
        if kelurahan:
            condition |= Q(kelurahan_id=kelurahan)
        if self.lookup_val and all(value.isdigit() for value in self.lookup_val):
            condition |= Q(pk__in=self.lookup_val)
        groups = (
            ParticipantGroup.objects.filter(condition)
            .select_related("kelurahan")
            .order_by("kelurahan__name", "name")[: self.MOST + 1]
        )
        choices = [(group.pk, str(group)) for group in groups]
        return choices if len(choices) <= self.MOST else []


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kelurahan_count")
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(kelurahan_total=Count("kelurahan"))

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    @admin.display(description=_("kelurahan"), ordering="kelurahan_total")
    def kelurahan_count(self, obj):
        return obj.kelurahan_total


@admin.register(Kelurahan)
class KelurahanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kecamatan", "is_program_area")
    list_filter = ("kecamatan", "is_program_area")
    list_select_related = ("kecamatan",)
    search_fields = ("name", "code")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


@admin.register(KelurahanAssignment)
class KelurahanAssignmentAdmin(HistoryAdmin):
    list_display = ("user", "kelurahan", "kecamatan", "assigned_on")
    list_filter = ("kelurahan__kecamatan", "kelurahan")
    list_select_related = ("user", "kelurahan__kecamatan")
    search_fields = ("user__username", "user__first_name", "user__last_name", "kelurahan__name")
    autocomplete_fields = ("kelurahan",)

    @admin.display(description=_("kecamatan"), ordering="kelurahan__kecamatan__name")
    def kecamatan(self, obj):
        return obj.kelurahan.kecamatan


class KelurahanAssignmentInline(admin.TabularInline):
    model = KelurahanAssignment
    extra = 1
    autocomplete_fields = ("kelurahan",)
    verbose_name = _("assigned kelurahan")
    verbose_name_plural = _("assigned kelurahan (social workers only see these)")


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = (KelurahanAssignmentInline,)
    list_display = ("username", "first_name", "last_name", "roles", "is_staff", "is_active")
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())


@admin.register(Program)
class ProgramAdmin(AmountsInRupiah, HistoryAdmin):
    list_display = (
        "name",
        "year",
        "start_date",
        "end_date",
        "total_budget_display",
        "grant_ceiling_display",
        "group_count",
        "is_active",
    )
    list_filter = ("year", "is_active")
    search_fields = ("name",)
    date_hierarchy = "start_date"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(group_total=Count("groups"))

    @admin.display(description=_("total budget"), ordering="total_budget")
    def total_budget_display(self, obj):
        return rupiah(obj.total_budget)

    @admin.display(description=_("grant ceiling per group"), ordering="grant_ceiling_per_group")
    def grant_ceiling_display(self, obj):
        return rupiah(obj.grant_ceiling_per_group)

    @admin.display(description=_("groups"), ordering="group_total")
    def group_count(self, obj):
        return obj.group_total


@admin.register(Participant)
class ParticipantAdmin(
    exports.ExportActions,
    LargeTableAdmin,
    AmountsInRupiah,
    IdentityNumbersGuard,
    ProjectImportMixin,
    ImportMixin,
    HistoryAdmin,
):
    # Narrow columns: at 1280 px everything, DTKS status and consent included, stays in view.
    list_display = (
        "full_name",
        "nik",
        "sex_code",
        "born",
        "place",
        "groups_display",
        "dtks",
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
        "dtks_status",
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
        )

    # Import: django-import-export's upload → preview → confirm pages, the project's importer.
    resource_classes = (ParticipantResource,)
    import_url_name = "admin:participants_participant_import"
    done_url_name = "admin:participants_participant_changelist"
    import_template_name = "admin/participants/participant/import.html"

    def get_urls(self):
        template = path(
            "import/templat/",
            self.admin_site.admin_view(self.import_template_view),
            name="participants_import_template",
        )
        errors = path(
            "import/kesalahan/",
            self.admin_site.admin_view(self.import_errors_view),
            name="participants_import_errors",
        )
        return [template, errors, *super().get_urls()]

    def has_import_permission(self, request):
        # The preview says "update" for a NIK already registered: only for those who see NIKs.
        user = request.user
        return (
            user.has_perm("participants.add_participant")
            and user.has_perm("participants.change_participant")
            and may_see_full_numbers(user)
        )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", {})
        result, form = context.get("result"), context.get("form")
        refused = result is not None and (result.has_errors() or result.has_validation_errors())
        if refused and form is not None and hasattr(form, "cleaned_data"):
            # Nothing will be imported from a refused file: do not keep its personal data.
            name = getattr(form.cleaned_data.get("import_file"), "tmp_storage_name", None)
            if name:
                uploads.remove(name)
        context["import_limits"] = {
            "megabytes": settings.IMPORT_MAX_FILE_MB,
            "rows": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", "."),
        }
        outcome = getattr(result, "outcome", None) if result is not None else None
        if outcome is not None and outcome.errors:
            upload = form.cleaned_data.get("import_file") if hasattr(form, "cleaned_data") else None
            context["error_report"] = self._keep_error_report(
                request, outcome, getattr(upload, "name", "daftar.xlsx")
            )
        return response

    @staticmethod
    def _keep_error_report(request, outcome, file_name) -> bool:
        """Keep the refused rows with their problems for this session.

        It holds personal data: it waits in the database under a random token, as the uploads
        do (removed with them by cleanup_imports), and is served only to the session that made
        it, from whichever app server answers.
        """
        uploads.remove(request.session.pop(ERROR_REPORT_KEY, None))
        with error_report(outcome, file_name) as report:
            report.seek(0)
            token = uploads.keep(report.read(), WaitingFile.Kind.ERRORS)
        request.session[ERROR_REPORT_KEY] = token
        return True

    def import_errors_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            report = uploads.read(request.session.get(ERROR_REPORT_KEY), WaitingFile.Kind.ERRORS)
        except FileNotFoundError:
            self.message_user(
                request,
                _("That list of problems is no longer here. Upload the file again."),
                messages.ERROR,
            )
            return redirect("admin:participants_participant_import")
        return FileResponse(
            io.BytesIO(report),
            as_attachment=True,
            filename="kesalahan_impor_peserta.xlsx",
            content_type=exports.XLSX_TYPE,
        )

    def finished_message(self, outcome) -> str:
        return _(
            "Import finished: %(created)d new, %(updated)d updated, %(unchanged)d "
            "unchanged, %(memberships)d group memberships added or changed."
        ) % vars(outcome)

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return HttpResponse(
            template_workbook(),
            content_type=exports.XLSX_TYPE,
            headers={"Content-Disposition": 'attachment; filename="templat_peserta.xlsx"'},
        )

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
                {"fields": ("occupation", "monthly_income", "household_size", "dtks_status")},
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
        readonly = ("created_at", "created_by", "updated_at", "updated_by")
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
        return exports.export_response(
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

    @admin.display(description=_("DTKS"), ordering="dtks_status")
    def dtks(self, obj):
        return obj.get_dtks_status_display()

    @admin.display(description=_("group (role)"))
    def groups_display(self, obj):
        return ", ".join(f"{m.group.name} ({m.get_role_display()})" for m in obj.memberships.all())


class MembershipInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        group = self.instance
        if any(self.errors) or not (group.program_id and group.kelurahan_id):
            return
        entries = [
            services.RosterEntry(form.cleaned_data["participant"], form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data.get("participant") and not self._should_delete_form(form)
        ]
        services.roster_validate(group=group, entries=entries)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    fields = ("participant", "role", "joined_on")
    autocomplete_fields = ("participant",)
    extra = 0
    max_num = MAX_GROUP_MEMBERS
    verbose_name_plural = _("members (at most 10; complete at 10)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant")


@admin.register(ParticipantGroup)
class ParticipantGroupAdmin(exports.ExportActions, LargeTableAdmin, HistoryAdmin):
    list_display = (
        "name",
        "program",
        "kelurahan",
        "kecamatan",
        "business_display",
        "chair",
        "members",
        "is_complete",
    )
    list_filter = ("program", "kelurahan__kecamatan", "kelurahan", "business_type")
    # By an index (program, kelurahan, name): the model's order by kelurahan code needs a join
    # and a sort of every group.
    ordering = ("program_id", "kelurahan_id", "name", "pk")
    list_select_related = ("program", "kelurahan__kecamatan")
    search_fields = ("name", "kelurahan__name")
    autocomplete_fields = ("kelurahan",)
    inlines = (MembershipInline,)
    readonly_fields = ("created_at", "updated_at")
    actions = ("export_xlsx",)
    fields = (
        "name",
        "program",
        "kelurahan",
        ("business_type", "business_type_other"),
        "notes",
        ("created_at", "updated_at"),
    )

    def get_queryset(self, request):
        # The roster's numbers come from each group's summary (kept with every change of its
        # members), not from counting the memberships of every row.
        return selectors.groups_with_chair()

    def save_model(self, request, obj, form, change):
        services.group_save(group=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        additions, changes, removals, changed = [], [], [], []
        for member_form in formset.forms:
            membership = member_form.instance
            data = member_form.cleaned_data
            if not data or not member_form.has_changed() and membership.pk:
                continue
            if formset._should_delete_form(member_form):
                if membership.pk:
                    removals.append(membership)
                continue
            if membership.pk is None:
                additions.append(
                    services.MemberAddition(data["participant"], data["role"], data["joined_on"])
                )
            elif "participant" in member_form.changed_data:
                # Another person in the same row: the old member leaves, the new one joins.
                removals.append(membership)
                additions.append(
                    services.MemberAddition(data["participant"], data["role"], data["joined_on"])
                )
            else:
                changes.append(services.MemberChange(membership, data["role"], data["joined_on"]))
                changed.append((membership, member_form.changed_data))
        created = services.group_roster_update(
            group=form.instance, add=additions, change=changes, remove=removals
        )
        # The admin's history message reads these.
        formset.new_objects, formset.changed_objects = created, changed
        formset.deleted_objects = removals

    @admin.action(
        description=_("Export the selected groups to Excel (XLSX)"), permissions=["export"]
    )
    def export_xlsx(self, request, queryset):
        label = _("%(count)d groups chosen in admin") % {"count": queryset.count()}
        return exports.export_response(
            exports.groups_export(user=request.user, queryset=queryset, scope_label=label)
        )

    @admin.display(description=_("kecamatan"), ordering="kelurahan__kecamatan__name")
    def kecamatan(self, obj):
        return obj.kelurahan.kecamatan

    @admin.display(description=_("business"), ordering="business_type")
    def business_display(self, obj):
        return obj.business_label

    @admin.display(description=_("chair"))
    def chair(self, obj):
        return obj.chair_name or "–"

    @admin.display(description=_("members"), ordering="roster_size")
    def members(self, obj):
        return f"{obj.roster_size}/{MAX_GROUP_MEMBERS}"

    @admin.display(description=_("complete"), boolean=True, ordering="roster_complete")
    def is_complete(self, obj):
        return obj.roster_complete


@admin.register(Membership)
class MembershipAdmin(LargeTableAdmin, IdentityNumbersGuard, HistoryAdmin):
    """A read-only list of all memberships; members are added and changed on the group's page."""

    list_display = ("participant", "group", "kelurahan", "program", "role", "joined_on")
    list_filter = (
        "program",
        "group__kelurahan__kecamatan",
        "group__kelurahan",
        "role",
        ("group", GroupListFilter),
    )
    list_select_related = ("participant", "group__kelurahan", "program")
    # Newest first, by the primary key: the model's order (by group, whose order is by programme
    # and kelurahan code) sorts every group of the city for each page.
    ordering = ("-pk",)
    search_fields = ("participant__full_name", "group__name")
    identity_search_fields = ("=participant__nik",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.membership_remove(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("group"):
            services.membership_remove(membership=membership)

    @admin.display(description=_("kelurahan"), ordering="group__kelurahan__name")
    def kelurahan(self, obj):
        return obj.group.kelurahan


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The export log: read only, for whoever audits who took which list out."""

    list_display = ("created_at", "user", "kind", "scope", "file_format", "row_count", "masked")
    list_filter = ("kind", "file_format", "masked")
    list_select_related = ("user",)
    search_fields = ("user__username", "scope")
    date_hierarchy = "created_at"
