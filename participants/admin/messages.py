"""The log of messages to participants and complainants: what was sent, to which number, and
what the gateway did with it (read only: the services write it)."""

from django.contrib import admin

from metro_slum.admin import ReadOnlyAdminMixin
from participants.models import Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "reason", "phone", "status", "attempts", "sent_at", "detail")
    list_filter = ("status", "reason")
    search_fields = ("phone", "gateway_id")
    list_select_related = ("participant",)
    fields = (
        "participant",
        "phone",
        "reason",
        "text",
        "status",
        "detail",
        "attempts",
        "next_attempt_at",
        "gateway_id",
        "created_at",
        "sent_at",
    )
    readonly_fields = fields
