"""django-import-export's admin import flow, with one of the project's importers doing the work.

The admin keeps import-export's upload → dry-run preview → confirm pages. Two defaults are
replaced where speed and safety need it: the file is not loaded into a tablib Dataset (which would
read a million rows LibreOffice declares empty, and turn NIKs into numbers), it is handed whole to
the importer (a resource's `run`); and the waiting upload is kept in the database (waiting.py),
not in one server's temporary folder, so that any app server can confirm it and `cleanup_imports`
can remove abandoned ones. Every import page also offers its empty template, states the limits,
and keeps a refused file's rows with their problems as a downloadable XLSX for that session.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from import_export import resources
from import_export.formats.base_formats import Format
from import_export.results import Error, InvalidRow, Result
from import_export.tmp_storages import BaseStorage

from metro_slum.models import WaitingFile
from metro_slum.spreadsheets import waiting
from metro_slum.spreadsheets.reading import ImportRefused
from metro_slum.spreadsheets.report import error_report
from metro_slum.spreadsheets.writing import XLSX_TYPE


class Upload:
    """The uploaded bytes, passed untouched from the format to the resource."""

    def __init__(self, data: bytes):
        self.data = data

    def __bool__(self):
        return bool(self.data)


class SpreadsheetList(Format):
    """An Excel (.xlsx) or CSV list, read by one of the project's importers."""

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
        return XLSX_TYPE

    def can_import(self):
        return True

    def can_export(self):
        return False


class WaitingUploadStorage(BaseStorage):
    """Keep the waiting upload in the database (waiting.py), found by a random token.

    The preview saves and reads it back; the confirmation, on whichever app server it lands,
    takes it: read and deleted in one step, so a second click on "confirm" finds nothing."""

    def save(self, data):
        self._kept = bytes(data)
        self.name = waiting.keep(self._kept)

    def read(self):
        kept = getattr(self, "_kept", None)
        return kept if kept is not None else waiting.take(self.name)

    def remove(self):
        waiting.remove(self.name)


class ProjectImportMixin:
    """The admin's upload → preview → confirm pages around a project importer's outcome.

    A subclass names its list (`import_name`: the URL names `admin:<import_name>_import_template`
    and `admin:<import_name>_import_errors`), its import page (`import_url_name`) and its list
    page (`done_url_name`), the names its files download under, its empty template
    (`import_template`) and what a finished import says (`finished_message`)."""

    tmp_storage_class = WaitingUploadStorage
    import_formats = (SpreadsheetList,)
    skip_admin_log = True
    import_name = ""
    import_url_name = ""
    done_url_name = ""
    template_file_name = "templat.xlsx"
    errors_file_name = "kesalahan_impor.xlsx"

    def finished_message(self, outcome) -> str:
        raise NotImplementedError

    def import_template(self) -> bytes:
        raise NotImplementedError

    @property
    def _error_report_key(self) -> str:
        # Where in the session the refused rows' report of the last import waits (its token).
        return f"{self.import_name}_import_errors"

    def get_urls(self):
        return [
            path(
                "import/templat/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{self.import_name}_import_template",
            ),
            path(
                "import/kesalahan/",
                self.admin_site.admin_view(self.import_errors_view),
                name=f"{self.import_name}_import_errors",
            ),
            *super().get_urls(),
        ]

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", {})
        result, form = context.get("result"), context.get("form")
        refused = result is not None and (result.has_errors() or result.has_validation_errors())
        if refused and form is not None and hasattr(form, "cleaned_data"):
            # Nothing will be imported from a refused file: do not keep its personal data.
            name = getattr(form.cleaned_data.get("import_file"), "tmp_storage_name", None)
            if name:
                waiting.remove(name)
        context["import_limits"] = {
            "megabytes": settings.IMPORT_MAX_FILE_MB,
            "rows": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", "."),
        }
        context["import_template_url"] = f"admin:{self.import_name}_import_template"
        context["import_errors_url"] = f"admin:{self.import_name}_import_errors"
        outcome = getattr(result, "outcome", None) if result is not None else None
        if outcome is not None and outcome.errors:
            upload = form.cleaned_data.get("import_file") if hasattr(form, "cleaned_data") else None
            context["error_report"] = self._keep_error_report(
                request, outcome, getattr(upload, "name", "daftar.xlsx")
            )
        return response

    def _keep_error_report(self, request, outcome, file_name) -> bool:
        """Keep the refused rows with their problems for this session.

        It holds personal data: it waits in the database under a random token, as the uploads
        do (removed with them by cleanup_imports), and is served only to the session that made
        it, from whichever app server answers.
        """
        waiting.remove(request.session.pop(self._error_report_key, None))
        with error_report(outcome, file_name) as report:
            report.seek(0)
            token = waiting.keep(report.read(), WaitingFile.Kind.ERRORS)
        request.session[self._error_report_key] = token
        return True

    def import_errors_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            report = waiting.read(
                request.session.get(self._error_report_key), WaitingFile.Kind.ERRORS
            )
        except FileNotFoundError:
            self.message_user(
                request,
                _("That list of problems is no longer here. Upload the file again."),
                messages.ERROR,
            )
            return redirect(self.import_url_name)
        return FileResponse(
            io.BytesIO(report),
            as_attachment=True,
            filename=self.errors_file_name,
            content_type=XLSX_TYPE,
        )

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return HttpResponse(
            self.import_template(),
            content_type=XLSX_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{self.template_file_name}"'},
        )

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

    A subclass names the importer (`run(uploaded, *, user, dry_run)`, which returns an outcome
    (an errors.ErrorListing with `rows`, `sheet`, `headers` and `error_rows`) or raises
    ImportRefused), the headers the import page lists, a default file name, and how its preview
    reads (`preview(result, outcome)`).
    """

    headers: tuple = ()
    default_name = "daftar.xlsx"
    # What the import page asks beside the file, passed on to the importer by name.
    run_options: tuple = ()

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
                File(io.BytesIO(dataset.data), name=name),
                user=kwargs.get("user"),
                dry_run=dry_run,
                **{option: kwargs[option] for option in self.run_options if option in kwargs},
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


class _Header:
    def __init__(self, column_name):
        self.column_name = column_name
