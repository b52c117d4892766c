from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q

from metro_slum.formatting import normalize_identity_number
from metro_slum.roles import may_see_full_numbers
from participants.identity import looks_like_identity_number
from participants.models import (
    ParticipantGroup,
)

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
