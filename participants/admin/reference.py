from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from metro_slum.admin import AmountsInRupiah
from metro_slum.formatting import rupiah
from participants.admin.common import User
from participants.history import HistoryAdmin
from participants.models import (
    RT,
    RW,
    Kecamatan,
    Kelurahan,
    KelurahanAssignment,
    Program,
)


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kelurahan_count")
    search_fields = ("name", "code")

    def get_queryset(self, request):
        # A counted (grouped) list loses the model's order: the autocomplete pages need one.
        counted = super().get_queryset(request).annotate(kelurahan_total=Count("kelurahan"))
        return counted.order_by(*Kecamatan._meta.ordering)

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


class RTInline(admin.TabularInline):
    model = RT
    extra = 0
    fields = ("code", "households", "buildings", "area_ha", "road_length_m", "drainage_length_m")


@admin.register(RW)
class RWAdmin(admin.ModelAdmin):
    """The RWs and their RTs with the totals the last survey found (a new survey starts from
    them)."""

    list_display = ("code", "kelurahan", "rt_count")
    list_filter = ("kelurahan",)
    list_select_related = ("kelurahan",)
    search_fields = ("code", "kelurahan__name")
    inlines = (RTInline,)

    def get_queryset(self, request):
        counted = super().get_queryset(request).annotate(rt_total=Count("rts"))
        return counted.order_by(*RW._meta.ordering)

    def get_readonly_fields(self, request, obj=None):
        return ("kelurahan", "code") if obj else ()

    @admin.display(description=_("RT"), ordering="rt_total")
    def rt_count(self, obj):
        return obj.rt_total


@admin.register(RT)
class RTAdmin(HistoryAdmin):
    list_display = ("label", "kelurahan", "households", "area_ha")
    list_filter = ("rw__kelurahan",)
    list_select_related = ("rw__kelurahan",)
    search_fields = ("code", "rw__code", "rw__kelurahan__name")

    def get_readonly_fields(self, request, obj=None):
        return ("rw", "code") if obj else ()

    @admin.display(description=_("kelurahan"), ordering="rw__kelurahan__name")
    def kelurahan(self, obj):
        return obj.rw.kelurahan.name


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
        counted = super().get_queryset(request).annotate(group_total=Count("groups"))
        return counted.order_by(*Program._meta.ordering)

    @admin.display(description=_("total budget"), ordering="total_budget")
    def total_budget_display(self, obj):
        return rupiah(obj.total_budget)

    @admin.display(description=_("grant ceiling per group"), ordering="grant_ceiling_per_group")
    def grant_ceiling_display(self, obj):
        return rupiah(obj.grant_ceiling_per_group)

    @admin.display(description=_("groups"), ordering="group_total")
    def group_count(self, obj):
        return obj.group_total
