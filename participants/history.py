"""Who changed what, when, old → new: the admin's history pages for every record that matters."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from participants.identity import mask, may_see_full_numbers

IDENTITY_FIELDS = ("nik", "kk_number")


class _MaskingHelper(HistoricalRecordContextHelper):
    """Shows identity numbers in a change masked to users who see them masked everywhere else."""

    def __init__(self, model, record, *, full_numbers: bool):
        super().__init__(model, record)
        self.full_numbers = full_numbers

    def prepare_delta_change_value(self, change, value):
        if change.field in IDENTITY_FIELDS and not self.full_numbers and isinstance(value, str):
            return mask(value)
        return super().prepare_delta_change_value(change, value)


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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # An old version's form would show what the current page masks; the list of changes is
        # the history people read.
        raise PermissionDenied
