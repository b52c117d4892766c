"""Every list that leaves the office passes here: the permission is checked, the export is
recorded (metro_slum.models.ExportRecord) before its first row, and the file is written.

The kinds of list are registered by the app that owns each export (metro_slum.export_kinds).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from metro_slum.export_kinds import file_word
from metro_slum.models import ExportRecord
from metro_slum.replica import read_lazily_for_export, reading_for_export
from metro_slum.roles import may_export, may_see_full_numbers
from metro_slum.spreadsheets.writing import CSV_TYPE, XLSX_TYPE, Sheet, csv_lines, write_xlsx


def export_filename(kind: str, scope_label: str, today: datetime.date, extension: str) -> str:
    return f"{file_word(kind)}_{slugify(scope_label)[:60]}_{today:%Y-%m-%d}.{extension}"


@dataclass
class Export:
    """A finished XLSX (`file`) or a CSV stream (`lines`), with the name to download it under."""

    filename: str
    content_type: str
    file: object = None
    lines: object = None


def _record(*, user, kind, scope_label, file_format, masked) -> ExportRecord:
    # Recorded in its own transaction, before a row is written: the log keeps the export even if
    # the caller's transaction fails or the download is broken off half way.
    with transaction.atomic():
        return ExportRecord.objects.create(
            user=user,
            kind=kind,
            scope=scope_label[:300],
            file_format=file_format,
            row_count=0,
            masked=masked,
        )


def _count_rows(record: ExportRecord, count: int) -> None:
    ExportRecord.objects.filter(pk=record.pk).update(row_count=count)


class ExportActions:
    """Admin export actions shown only to those who may export (`permissions=["export"]`)."""

    def has_export_permission(self, request) -> bool:
        return may_export(request.user)


def export_rows(*, user, kind, sheet: Sheet, rows, scope_label: str, file_format: str) -> Export:
    """Write a list in the chosen format and record the export. Only `xlsx` and `csv` exist.

    Every export (portal page, admin actions) passes here: the permission is checked here. The
    record is written first; its row count is filled in when the last row has been written.
    """
    if not may_export(user):
        raise PermissionDenied
    today = timezone.localdate()
    masked = not may_see_full_numbers(user)
    filename = export_filename(kind, scope_label, today, file_format)
    record = _record(
        user=user, kind=kind, scope_label=scope_label, file_format=file_format, masked=masked
    )
    if file_format == "xlsx":
        with reading_for_export():
            output, count = write_xlsx(sheet, rows)
        _count_rows(record, count)
        return Export(filename=filename, content_type=XLSX_TYPE, file=output)

    counter = [0]

    def lines():
        yield from read_lazily_for_export(csv_lines(sheet, rows, counter))
        _count_rows(record, counter[0])

    return Export(filename=filename, content_type=CSV_TYPE, lines=lines())


def export_response(export: Export):
    """Send an export as a download."""
    if export.file is not None:
        return FileResponse(
            export.file,
            as_attachment=True,
            filename=export.filename,
            content_type=export.content_type,
        )
    response = StreamingHttpResponse(export.lines, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
