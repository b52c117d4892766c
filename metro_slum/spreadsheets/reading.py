"""What is really in an uploaded list: its sheets, its header, its rows and its formulas.

A sheet's declared size (its `<dimension>`) is not trusted: some programs write it wrongly, and
the rows are read until the sheet ends. A run of empty rows ends the list (LibreOffice declares a
million). Formulas are seen as formulas, not as the value they last computed. The file's size and
its number of rows are limited (settings IMPORT_MAX_FILE_MB and IMPORT_MAX_ROWS).
"""

import csv
import datetime
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from metro_slum import uploads
from metro_slum.models import WaitingFile
from metro_slum.spreadsheets import waiting
from metro_slum.spreadsheets.layout import TableLayout, header_key

MAX_EMPTY_ROWS = 50  # after this many empty rows the sheet has ended, whatever it declares
HEADER_SEARCH_ROWS = 20
HEADER_MIN_COLUMNS = 3  # a row naming this many known columns is the header


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class SheetRow:
    number: int  # as the user sees it (1 = first row)
    values: tuple
    formulas: dict = field(default_factory=dict)  # column index -> the formula's text


@dataclass
class Table:
    sheet: str
    columns: dict  # column index -> field
    header_row: int
    headers: list  # the header cells as written, for the error report
    rows: Iterator  # the SheetRows below the header
    digest: str = ""  # of the file's bytes and the layout read: finds what a preview read


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def _check_size(uploaded) -> None:
    limit = settings.IMPORT_MAX_FILE_MB
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit * 1024 * 1024:
        raise ImportRefused(
            _(
                "The file is %(size).1f MB; an import takes at most %(limit)d MB. Split the list "
                "(for example by kelurahan) and import the parts one after the other."
            )
            % {"size": size / 1024 / 1024, "limit": limit}
        )


def _xlsx_rows(ws) -> Iterator[SheetRow]:
    # The declared size may be wrong (a 10-row sheet declaring A1:L6): read what is there.
    ws.reset_dimensions()
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values, formulas = [], {}
        for index, cell in enumerate(cells):
            if getattr(cell, "data_type", None) == "f":
                formulas[index] = str(cell.value)
                values.append(None)
            else:
                values.append(cell.value)
        yield SheetRow(number, tuple(values), formulas)


def _sheets(uploaded):
    """Yield (sheet name, SheetRows) of an XLSX or CSV upload."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    name = (getattr(uploaded, "name", "") or "").lower()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            _(
                "This file is in the old Excel format (.xls). Open it in Excel or LibreOffice, "
                "save it as 'Excel Workbook (.xlsx)', and upload it again."
            )
        )
    if head.startswith(b"PK"):
        try:
            # Before anything is parsed: a small file that would unpack to gigabytes is refused.
            uploads.check_zip(uploaded, uploads.IMPORT_ZIP)
        except ValidationError as refusal:
            raise ImportRefused(" ".join(refusal.messages)) from refusal
        try:
            # Formulas as formulas (data_only=False): a cell's last computed value is not data.
            workbook = load_workbook(uploaded, read_only=True, data_only=False)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportRefused(
                _(
                    "This .xlsx file is damaged and cannot be read. Open it in Excel or "
                    "LibreOffice, save it again as .xlsx, and upload it again."
                )
            ) from exc
        for ws in workbook.worksheets:
            yield ws.title, _xlsx_rows(ws)
        return
    if name.endswith((".csv", ".txt")):
        raw = uploaded.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        yield "CSV", (SheetRow(n, tuple(row)) for n, row in enumerate(reader, start=1))
        return
    raise ImportRefused(
        _(
            "This is not an Excel (.xlsx) or CSV file. Upload the list as .xlsx (best: download "
            "the template) or .csv."
        )
    )


def _is_empty(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def find_table(uploaded, layout: TableLayout) -> Table:
    """Find the list: the first row, in the first 20 of a sheet, that names known columns."""
    _check_size(uploaded)
    seen_any = False
    for sheet_name, rows in _sheets(uploaded):
        for row in rows:
            if row.number > HEADER_SEARCH_ROWS:
                break
            if not row.values or _is_empty(row.values):
                continue
            seen_any = True
            keys = [header_key(v) for v in row.values]
            columns = {i: layout.columns[k] for i, k in enumerate(keys) if k in layout.columns}
            if len(set(columns.values())) < HEADER_MIN_COLUMNS:
                continue
            missing = [layout.labels[f] for f in layout.required if f not in columns.values()]
            if missing:
                raise ImportRefused(
                    _(
                        "The header row (row %(row)d of sheet '%(sheet)s') lacks these required "
                        "columns: %(missing)s. Add them, or use the template from the import page."
                    )
                    % {"row": row.number, "sheet": sheet_name, "missing": ", ".join(missing)}
                )
            headers = ["" if v is None else str(v) for v in row.values]
            return Table(sheet_name, columns, row.number, headers, rows)
    if not seen_any:
        raise ImportRefused(_("The file is empty: no sheet holds any data."))
    named = ", ".join(f"'{layout.labels[name]}'" for name in layout.required[:2])
    raise ImportRefused(
        _(
            "No header row (naming %(columns)s, ...) was found in the first 20 rows. "
            "Use the template from the import page."
        )
        % {"columns": named}
    )


# Reading a list of 20.000 rows takes a few seconds; a file that takes far longer, or far more
# memory, is stopped (metro_slum.uploads).
READING_SECONDS = 60
READING_MEMORY = 1024 * 1024 * 1024


def read_table(uploaded, layout: TableLayout) -> Table:
    """Find the list and read all its rows, in a process of their own with a time and memory
    budget: a file that would hold a server worker is refused, and the worker is free again.

    What a clean preview read is kept (`keep_for_confirmation`): the confirmation of the same
    bytes takes those rows instead of reading the file a second time, and deletes them."""
    digest = _digest(uploaded, layout)
    kept = _take_kept(digest)
    if kept is not None:
        return kept
    try:
        table = uploads.within_budget(
            _read_whole_table,
            uploaded,
            layout,
            seconds=READING_SECONDS,
            memory=READING_MEMORY,
            passes=(ImportRefused,),
        )
    except ValidationError as refusal:
        raise ImportRefused(" ".join(refusal.messages)) from refusal
    finally:
        uploaded.seek(0)
    table.digest = digest
    return table


def _digest(uploaded, layout: TableLayout) -> str:
    uploaded.seek(0)
    content = hashlib.sha256(uploaded.read())
    uploaded.seek(0)
    content.update(repr(sorted(layout.columns.items())).encode())
    return "dibaca-" + content.hexdigest()[:57]


def keep_for_confirmation(table: Table) -> None:
    """Keep the rows a clean preview read, for the confirmation of the same file (deleted when
    it takes them, or by cleanup_imports with the upload they came from)."""
    try:
        data = json.dumps(
            {
                "sheet": table.sheet,
                "columns": list(table.columns.items()),
                "header_row": table.header_row,
                "headers": table.headers,
                "rows": [[r.number, list(r.values), list(r.formulas.items())] for r in table.rows],
            },
            default=_encode,
        )
    except TypeError:
        return  # a cell of a kind JSON cannot keep exactly: the confirmation reads the file again
    waiting.keep_under(table.digest, data.encode(), WaitingFile.Kind.READ)


def _take_kept(digest: str) -> Table | None:
    try:
        data = json.loads(waiting.take(digest, WaitingFile.Kind.READ), object_hook=_decode)
    except FileNotFoundError:
        return None
    return Table(
        sheet=data["sheet"],
        columns={int(index): name for index, name in data["columns"]},
        header_row=data["header_row"],
        headers=data["headers"],
        rows=[
            SheetRow(number, tuple(values), {int(i): formula for i, formula in formulas})
            for number, values, formulas in data["rows"]
        ],
        digest=digest,
    )


_TIMES = {
    "datetime": datetime.datetime,
    "date": datetime.date,
    "time": datetime.time,
}


def _encode(value):
    # datetime before date: a datetime is a date too.
    for name, kind in _TIMES.items():
        if isinstance(value, kind):
            return {"$" + name: value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$timedelta": value.total_seconds()}
    raise TypeError(type(value).__name__)


def _decode(value: dict):
    if len(value) == 1:
        ((key, written),) = value.items()
        if key == "$timedelta":
            return datetime.timedelta(seconds=written)
        kind = _TIMES.get(key[1:]) if key.startswith("$") else None
        if kind is not None:
            return kind.fromisoformat(written)
    return value


def _read_whole_table(uploaded, layout: TableLayout) -> Table:
    table = find_table(uploaded, layout)
    table.rows = list(data_rows(table))
    return table


def data_rows(table: Table) -> Iterator[SheetRow]:
    """Yield the non-empty rows below the header; a run of empty rows ends the list.

    Refuses a list longer than IMPORT_MAX_ROWS as soon as it is seen, before more is read.
    """
    empty = count = 0
    limit = max_rows()
    for row in table.rows:
        if (not row.values or _is_empty(row.values)) and not row.formulas:
            empty += 1
            if empty >= MAX_EMPTY_ROWS:
                return
            continue
        empty = 0
        count += 1
        if count > limit:
            raise ImportRefused(
                _(
                    "The list has more than %(limit)s rows; an import takes at most %(limit)s. "
                    "Split it (for example by kelurahan) and import the parts one after the other."
                )
                % {"limit": f"{limit:,}".replace(",", ".")}
            )
        yield row


def cell_name(row_number: int, index: int) -> str:
    """The cell as a spreadsheet names it: C7."""
    return f"{get_column_letter(index + 1)}{row_number}"
