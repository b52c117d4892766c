"""Write lists that leave the office as XLSX or CSV: streamed, safe to open, readable by a clerk.

A sheet is written row by row (openpyxl's write-only mode) to a temporary file, so a list of
100,000 participants never sits in memory. Every text cell is neutralised against formula
injection, identity numbers are written as text, dates as real dates shown dd/mm/yyyy and money as
numbers shown as rupiah.
"""

import csv
import datetime
import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

TEXT, DATE, MONEY, NUMBER = "text", "date", "money", "number"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = '"Rp" #,##0'
# Characters that make Excel, LibreOffice or a CSV reader treat a cell as a formula or command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 4  # two title lines, one blank line, then the header


def neutralise(value):
    """Return text that no spreadsheet will run as a formula: a leading quote disarms it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14
    kind: str = TEXT


@dataclass(frozen=True)
class Sheet:
    """What a list is: its title lines, its columns and the name of its sheet."""

    name: str
    title: str
    subtitle: str
    columns: Sequence[Column]


def write_xlsx(
    sheet: Sheet, rows: Iterable[Sequence]
) -> tuple[tempfile._TemporaryFileWrapper, int]:
    """Write the rows to a temporary XLSX file; return the open file and the row count."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet.name[:31])
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    last_column = get_column_letter(len(sheet.columns))
    ws.merged_cells.ranges.add(f"A1:{last_column}1")
    ws.merged_cells.ranges.add(f"A2:{last_column}2")

    title = WriteOnlyCell(ws, value=neutralise(sheet.title))
    title.font = Font(bold=True, size=14)
    subtitle = WriteOnlyCell(ws, value=neutralise(sheet.subtitle))
    subtitle.font = Font(italic=True)
    ws.append([title])
    ws.append([subtitle])
    ws.append([])
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="D9EAD3")
    headers = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        headers.append(cell)
    ws.append(headers)

    # One styled cell per date or money column, reused row after row: a row is written out the
    # moment it is appended, so only its value changes. Other values go in plain, which is fast.
    styled = {}
    for index, column in enumerate(sheet.columns):
        if column.kind in (DATE, MONEY):
            cell = WriteOnlyCell(ws)
            cell.number_format = DATE_FORMAT if column.kind == DATE else MONEY_FORMAT
            styled[index] = cell
    text_columns = [i for i, c in enumerate(sheet.columns) if c.kind == TEXT]

    count = 0
    for row in rows:
        values = list(row)
        for index in text_columns:
            value = values[index]
            if value.__class__ is str and value and value[0] in "=+-@\t\r":
                values[index] = "'" + value
        for index, cell in styled.items():
            value = values[index]
            if value is not None:
                cell.value = value
                values[index] = cell
        ws.append(values)
        count += 1
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + max(count, 1)}"

    output = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response
    workbook.save(output)
    output.seek(0)
    return output, count


def _csv_value(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(int(value))
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value


class _Echo:
    def write(self, value):
        return value


def csv_lines(sheet: Sheet, rows: Iterable[Sequence], counter: list[int]):
    """Yield the CSV text line by line (UTF-8 with BOM so Excel reads the accents)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([sheet.title])
    yield writer.writerow([sheet.subtitle])
    yield writer.writerow([c.header for c in sheet.columns])
    for row in rows:
        counter[0] += 1
        yield writer.writerow([_csv_value(v) for v in row])


def csv_bytes(sheet: Sheet, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    for line in csv_lines(sheet, rows, [0]):
        buffer.write(line)
    return buffer.getvalue().encode("utf-8")
