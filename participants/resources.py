"""django-import-export's admin import flow, with the project's importer doing the work.

The admin keeps import-export's upload → dry-run preview → confirm pages. Two defaults are
replaced where speed and safety need it: the file is not loaded into a tablib Dataset (which would
read a million rows LibreOffice declares empty, and turn NIKs into numbers), it is handed whole to
`participants.spreadsheet.importer.run_import`; and the waiting upload is kept in the database,
not in one server's temporary folder, so that any app server can confirm it and `cleanup_imports`
can remove abandoned ones.
"""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files import File
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from import_export import resources
from import_export.formats.base_formats import Format
from import_export.results import Error, InvalidRow, Result, RowResult
from import_export.tmp_storages import BaseStorage

from participants import uploads
from participants.models import Participant
from participants.spreadsheet import importer
from participants.spreadsheet.layout import HEADER_LABELS, PERSON_FIELDS
from participants.spreadsheet.reading import ImportRefused


class Upload:
    """The uploaded bytes, passed untouched from the format to the resource."""

    def __init__(self, data: bytes):
        self.data = data

    def __bool__(self):
        return bool(self.data)


class ParticipantList(Format):
    """An Excel (.xlsx) or CSV participant list, read by the project's importer."""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return "Excel (.xlsx) / CSV"

    def create_dataset(self, in_stream):
        return Upload(in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8"))

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def get_extension(self):
        return "xlsx"

    def get_content_type(self):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def can_import(self):
        return True

    def can_export(self):
        return False


class WaitingUploadStorage(BaseStorage):
    """Keep the waiting upload in the database (participants.uploads), found by a random token.

    The preview saves and reads it back; the confirmation, on whichever app server it lands,
    takes it: read and deleted in one step, so a second click on "confirm" finds nothing."""

    def save(self, data):
        self._kept = bytes(data)
        self.name = uploads.keep(self._kept)

    def read(self):
        kept = getattr(self, "_kept", None)
        return kept if kept is not None else uploads.take(self.name)

    def remove(self):
        uploads.remove(self.name)


class ProjectImportMixin:
    """The admin's upload → preview → confirm pages around a project importer's outcome.

    A subclass names its import page (`import_url_name`), its list (`done_url_name`) and what a
    finished import says (`finished_message`)."""

    tmp_storage_class = WaitingUploadStorage
    import_formats = (ParticipantList,)
    skip_admin_log = True
    import_url_name = ""
    done_url_name = ""

    def finished_message(self, outcome) -> str:
        raise NotImplementedError

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # Already imported (a second click on "confirm"), cleaned up, or a tampered name.
            self.message_user(
                request,
                _(
                    "The checked file is no longer here (already imported or expired). "
                    "Upload it again."
                ),
                messages.ERROR,
            )
            return redirect(self.import_url_name)

    def process_result(self, result, request):
        outcome = getattr(result, "outcome", None)
        if outcome is None or not outcome.ok:
            self.message_user(
                request,
                _(
                    "Nothing was imported: the file changed or a row is no longer valid. "
                    "Upload it again."
                ),
                messages.ERROR,
            )
            return redirect(self.import_url_name)
        self.message_user(request, self.finished_message(outcome), messages.SUCCESS)
        return redirect(self.done_url_name)


class ProjectResource(resources.ModelResource):
    """A resource whose rows are read and written by one of the project's importers.

    A subclass names the importer (`run(uploaded, *, user, dry_run)`, which returns an outcome with
    `errors`, `shown_errors` and `rows`, or raises ImportRefused), the headers the import page
    lists, a default file name, and how its preview reads (`preview(result, outcome)`).
    """

    headers: tuple = ()
    default_name = "daftar.xlsx"

    @staticmethod
    def run(uploaded, *, user, dry_run):
        raise NotImplementedError

    def preview(self, result, outcome) -> None:
        raise NotImplementedError

    def get_user_visible_fields(self):
        # What the import page lists as the file's columns: the Indonesian headers.
        return [_Header(h) for h in self.headers]

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Run the project's importer on the whole upload and report in import-export's terms."""
        result = Result()
        name = kwargs.get("file_name") or self.default_name
        try:
            outcome = self.run(
                File(io.BytesIO(dataset.data), name=name), user=kwargs.get("user"), dry_run=dry_run
            )
        except ImportRefused as refusal:
            result.append_base_error(Error(refusal))
            return result
        result.outcome = outcome
        if outcome.errors:
            result.diff_headers = [_("Column"), _("Value")]
            # The page lists the first problems (and counts the rest).
            for error in outcome.shown_errors:
                result.invalid_rows.append(
                    InvalidRow(
                        number=error.row,
                        validation_error=ValidationError({error.column or "—": [error.message]}),
                        values=(error.column, error.value),
                    )
                )
            return result
        self.preview(result, outcome)
        result.total_rows = outcome.rows
        return result


class ParticipantResource(ProjectResource):
    """Participants matched on NIK; the columns are those of the project's export and template."""

    headers = tuple(HEADER_LABELS.values())
    run = staticmethod(importer.run_import)

    class Meta:
        model = Participant
        import_id_fields = ("nik",)
        fields = PERSON_FIELDS

    def preview(self, result, outcome) -> None:
        # The list's own headers for its columns, the page's words for the others.
        result.diff_headers = [
            _("Row"),
            HEADER_LABELS["nik"],
            HEADER_LABELS["full_name"],
            HEADER_LABELS["kelurahan"],
            _("Changes"),
        ]
        for entry in outcome.preview:
            row = RowResult()
            row.import_type = (
                RowResult.IMPORT_TYPE_NEW if entry.kind == "baru" else RowResult.IMPORT_TYPE_UPDATE
            )
            person = entry.person
            changes = "; ".join(f"{label}: {old} → {new}" for label, old, new in entry.changes)
            row.diff = [
                entry.number,
                person.nik,
                person.full_name,
                person.kelurahan.name,
                changes or _("new participant"),
            ]
            result.append_row_result(row)
        result.totals[RowResult.IMPORT_TYPE_NEW] = outcome.created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = outcome.updated
        result.totals[RowResult.IMPORT_TYPE_SKIP] = outcome.unchanged


class _Header:
    def __init__(self, column_name):
        self.column_name = column_name
