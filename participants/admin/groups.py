from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from metro_slum.admin import LargeTableAdmin
from metro_slum.exports import ExportActions, export_response
from participants import exports, selectors, services
from participants.admin.common import GroupListFilter, IdentityNumbersGuard
from participants.history import HistoryAdmin
from participants.models import (
    MAX_GROUP_MEMBERS,
    Membership,
    ParticipantGroup,
)


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
class ParticipantGroupAdmin(ExportActions, LargeTableAdmin, HistoryAdmin):
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
        return export_response(
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
