from django.contrib import admin

from metro_slum.admin import ReadOnlyAdminMixin
from participants.models import (
    ExportRecord,
)


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The export log: read only, for whoever audits who took which list out."""

    list_display = ("created_at", "user", "kind", "scope", "file_format", "row_count", "masked")
    list_filter = ("kind", "file_format", "masked")
    list_select_related = ("user",)
    search_fields = ("user__username", "scope")
    date_hierarchy = "created_at"
