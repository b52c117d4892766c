"""Write lists that leave the office as XLSX or CSV: streamed, safe to open, readable by a clerk.

A sheet's XML is streamed row by row into a zip on a temporary file, so a list of 100,000
participants never sits in memory. Every text cell is neutralised against formula
injection, identity numbers are written as text, dates as real dates shown dd/mm/yyyy and money as
numbers shown as rupiah.
"""

import datetime
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter

TEXT, DATE, MONEY, NUMBER = "text", "date", "money", "number"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = '"Rp" #,##0'
# Characters that make Excel, LibreOffice or a CSV reader treat a cell as a formula or command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 4  # two title lines, one blank line, then the header
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


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


_XML_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
# Characters XML 1.0 cannot carry at all; a stray one would make the file unreadable.
_XML_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

# Cell styles, by their index in styles.xml below.
STYLE_TITLE, STYLE_SUBTITLE, STYLE_HEADER, STYLE_DATE, STYLE_MONEY, STYLE_TEXT = 1, 2, 3, 4, 5, 6
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2">
<numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>
<numFmt numFmtId="165" formatCode="{MONEY_FORMAT.translate(_XML_ESCAPE)}"/>
</numFmts>
<fonts count="4">
<font><sz val="11"/><name val="Calibri"/></font>
<font><b/><sz val="14"/><name val="Calibri"/></font>
<font><i/><sz val="11"/><name val="Calibri"/></font>
<font><b/><sz val="11"/><name val="Calibri"/></font>
</fonts>
<fills count="3">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFD9EAD3"/></patternFill></fill>
</fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="7">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="3" fillId="2" borderId="0" xfId="0"
    applyFont="1" applyFill="1" applyAlignment="1">
<alignment vertical="center" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""
_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_MAIN}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_MAIN}.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{_MAIN}.styles+xml"/>
</Types>
"""
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>
"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>
</Relationships>
"""
_SHEET_HEAD = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetViews><sheetView workbookViewId="0">
<pane ySplit="{HEADER_ROW}" topLeftCell="A{HEADER_ROW + 1}" activePane="bottomLeft" state="frozen"/>
</sheetView></sheetViews>
<sheetFormatPr defaultRowHeight="15"/>
"""


_NEEDS_ESCAPING = re.compile(r'[&<>"\x00-\x08\x0b\x0c\x0e-\x1f]')


def _xml_text(value: str) -> str:
    # Most cells (names, addresses, NIKs) need nothing: one search instead of two translations.
    if _NEEDS_ESCAPING.search(value) is None:
        return value
    return value.translate(_XML_ILLEGAL).translate(_XML_ESCAPE)


def _letters(count: int) -> list[str]:
    return [get_column_letter(index) for index in range(1, count + 1)]


def _string_cell(ref: str, text: str, style: int = 0) -> str:
    style_attr = f' s="{style}"' if style else ""
    return (
        f'<c r="{ref}"{style_attr} t="inlineStr"><is><t xml:space="preserve">'
        f"{_xml_text(text)}</t></is></c>"
    )


def write_xlsx(
    sheet: Sheet, rows: Iterable[Sequence]
) -> tuple[tempfile._TemporaryFileWrapper, int]:
    """Write the rows to a temporary XLSX file; return the open file and the row count.

    The sheet's XML is written straight into the zip as the rows arrive: one pass, no cell
    objects, memory independent of the number of rows. Text goes in as inline strings (so a NIK is
    text, never a number), dates as serial numbers styled dd/mm/yyyy, money styled as rupiah.
    """
    columns = sheet.columns
    letters = _letters(len(columns))
    last = letters[-1]
    kinds = [column.kind for column in columns]
    output = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response
    count = 0
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", write_through=False)
            out.write(_SHEET_HEAD + "<cols>")
            for index, column in enumerate(columns, start=1):
                style = f' style="{STYLE_TEXT}"' if column.kind == TEXT else ""
                width = f'width="{column.width}"'
                out.write(f'<col min="{index}" max="{index}" {width}{style} customWidth="1"/>')
            out.write("</cols><sheetData>")
            out.write(
                f'<row r="1">{_string_cell("A1", neutralise(sheet.title), STYLE_TITLE)}</row>'
            )
            out.write(
                f'<row r="2">{_string_cell("A2", neutralise(sheet.subtitle), STYLE_SUBTITLE)}</row>'
            )
            out.write(
                f'<row r="{HEADER_ROW}">'
                + "".join(
                    _string_cell(f"{letter}{HEADER_ROW}", column.header, STYLE_HEADER)
                    for letter, column in zip(letters, columns, strict=True)
                )
                + "</row>"
            )
            number = HEADER_ROW
            for row in rows:
                number += 1
                count += 1
                cells = []
                for letter, kind, value in zip(letters, kinds, row, strict=True):
                    if value is None or value == "":
                        continue
                    ref = f"{letter}{number}"
                    if kind == TEXT:
                        # Inline rather than through _string_cell and neutralise: this line runs
                        # for every cell of a 100,000-row list.
                        text = value if value.__class__ is str else str(value)
                        if text.startswith(FORMULA_PREFIXES):
                            text = "'" + text
                        cells.append(
                            f'<c r="{ref}" s="{STYLE_TEXT}" t="inlineStr"><is>'
                            f'<t xml:space="preserve">{_xml_text(text)}</t></is></c>'
                        )
                    elif kind == DATE:
                        days = (value - _EXCEL_EPOCH).days
                        cells.append(f'<c r="{ref}" s="{STYLE_DATE}"><v>{days}</v></c>')
                    elif kind == MONEY:
                        cells.append(f'<c r="{ref}" s="{STYLE_MONEY}"><v>{int(value)}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                out.write(f'<row r="{number}">{"".join(cells)}</row>')
            out.write("</sheetData>")
            out.write(f'<autoFilter ref="A{HEADER_ROW}:{last}{HEADER_ROW + max(count, 1)}"/>')
            out.write(
                f'<mergeCells count="2"><mergeCell ref="A1:{last}1"/>'
                f'<mergeCell ref="A2:{last}2"/></mergeCells>'
            )
            out.write("</worksheet>")
            out.flush()
            out.detach()
        name = _xml_text(sheet.name[:31])
        table = f"&apos;{name}&apos;!$A${HEADER_ROW}:${last}${HEADER_ROW + max(count, 1)}"
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{_RELATIONSHIPS}">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{table}</definedName></definedNames></workbook>",
        )
    output.seek(0)
    return output, count


# Excel splits a CSV line at commas, or at semicolons where the list separator is a semicolon
# (Indonesian Windows): a field holding either is quoted, and each piece it could be split into is
# disarmed on its own, so ";=1+1" can never become a cell starting with "=".
_CSV_SEPARATORS = re.compile(r"([,;])")
_CSV_QUOTED = re.compile(r'[,;"\r\n]')


def _disarmed(piece: str) -> str:
    return "'" + piece if piece.lstrip(" ").startswith(FORMULA_PREFIXES) else piece


def _csv_text(text: str) -> str:
    pieces = _CSV_SEPARATORS.split(text)
    text = "".join(_disarmed(p) if i % 2 == 0 else p for i, p in enumerate(pieces))
    if _CSV_QUOTED.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_value(value) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(int(value))
    if value is None:
        return ""
    return _csv_text(value) if isinstance(value, str) else str(value)


def _csv_line(values) -> str:
    return ",".join(_csv_value(v) for v in values) + "\r\n"


def csv_lines(sheet: Sheet, rows: Iterable[Sequence], counter: list[int]):
    """Yield the CSV text line by line (UTF-8 with BOM so Excel reads the accents)."""
    yield "\ufeff" + _csv_line([sheet.title])
    yield _csv_line([sheet.subtitle])
    yield _csv_line([c.header for c in sheet.columns])
    for row in rows:
        counter[0] += 1
        yield _csv_line(row)
