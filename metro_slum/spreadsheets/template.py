"""The empty list to fill in: the export's layout, identity columns formatted as text.

Like the exported lists, a template is a document of the office and reads in Indonesian.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from metro_slum.spreadsheets.writing import HEADER_ROW

TEXT_ROWS = 1000  # rows below the header formatted as text where a number must keep its digits


def empty_list(title: str, sheet: str, columns, instructions) -> Workbook:
    """A workbook to fill in: a title, the header in row 4 (the `ListColumn`s), a thousand rows
    formatted as text where a number must keep its digits, and the instructions on their own
    sheet, which goes last."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Isi mulai baris {HEADER_ROW + 1}. Jangan mengubah baris judul kolom (baris 4)."
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=column.header)
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = column.width
        if column.typed_as_text:
            for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + TEXT_ROWS):
                ws.cell(row=row, column=index).number_format = "@"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    help_sheet = workbook.create_sheet("Petunjuk")
    for line in instructions:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
