"""The log of messages to participants and complainants: what was sent, to which number, and
what the gateway did with it (read only: the services write it). Messages about a sensitive
complaint are listed only for those who see such complaints; phone numbers show in full only to
those who correct them, masked to everyone else, and only they may search by number."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from metro_slum.admin import ReadOnlyAdminMixin
from metro_slum.phones import mask_phone
from metro_slum.roles import may_see_phone_numbers, may_see_sensitive_complaints
from participants.models import Message


def _masked(names, user):
    """`names` with the phone column in the form this user may read."""
    if may_see_phone_numbers(user):
        return tuple(names)
    return tuple("masked_phone" if name == "phone" else name for name in names)


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
    readonly_fields = (*fields, "masked_phone")

    def get_queryset(self, request):
        messages = super().get_queryset(request)
        if may_see_sensitive_complaints(request.user):
            return messages
        return messages.filter(sensitive=False)

    def get_list_display(self, request):
        return _masked(super().get_list_display(request), request.user)

    def get_fields(self, request, obj=None):
        return _masked(super().get_fields(request, obj), request.user)

    def get_search_fields(self, request):
        if may_see_phone_numbers(request.user):
            return self.search_fields
        return tuple(name for name in self.search_fields if name != "phone")

    @admin.display(description=_("phone"))
    def masked_phone(self, message):
        return mask_phone(message.phone)
