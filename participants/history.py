"""Who changed what, when, old → new: the admin's history pages for every record that matters."""

import datetime
from decimal import Decimal

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from metro_slum.formatting import rupiah
from metro_slum.roles import may_see_full_numbers
from participants.fields import IdentityNumberField, NumberField, grouped
from participants.identity import mask

IDENTITY_FIELDS = ("nik", "kk_number")


def person_name(user) -> str:
    """A user as people are shown everywhere: the full name, else the user name."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


def display_value(model, name: str, value) -> str:
    """A stored value as its form shows it: the choice's words, the related record's name (a
    person's full name), rupiah for money, day-first dates, Ya/Tidak; "–" when empty."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field that no longer exists: its raw value
        field = None
    if isinstance(value, DeletedObject):  # a related record since deleted, or none at all
        return "–" if value.pk is None else _("(deleted, id %(pk)s)") % {"pk": value.pk}
    if isinstance(value, models.Model):  # the history view hands related records, not ids
        return person_name(value) if isinstance(value, get_user_model()) else str(value)
    if value is None or value == "":
        return "–"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return str(value)
        return person_name(related) if field.related_model is get_user_model() else str(related)
    if isinstance(field, NumberField) and not isinstance(field, IdentityNumberField):
        return grouped(str(value))
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DecimalField) and field.decimal_places == 0:
        return rupiah(Decimal(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class _MaskingHelper(HistoricalRecordContextHelper):
    """Shows identity numbers in a change masked to users who see them masked everywhere else."""

    def __init__(self, model, record, *, full_numbers: bool):
        super().__init__(model, record)
        self.full_numbers = full_numbers

    def prepare_delta_change_value(self, change, value):
        if change.field in IDENTITY_FIELDS and not self.full_numbers and isinstance(value, str):
            return mask(value)
        value = super().prepare_delta_change_value(change, value)
        return value if isinstance(value, list) else display_value(self.model, change.field, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """The history page lists each change with its fields' old and new values and who made it.

    Records change only through the services, so an old version is shown, never restored.
    """

    def get_historical_record_context_helper(self, request, historical_record):
        return _MaskingHelper(
            self.model, historical_record, full_numbers=may_see_full_numbers(request.user)
        )

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        # A typed address with an id that cannot be a key ("x", "1.5") is a page not found.
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # An old version's form would show what the current page masks; the list of changes is
        # the history people read.
        raise PermissionDenied
