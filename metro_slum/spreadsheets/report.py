"""The clerk's own rows that cannot be imported, each with what is wrong, as an XLSX.

The page shows the first problems; this list has them all, beside the rows as the clerk wrote
them, so that they can be corrected in place. Like the exports it is a document of the office, in
Indonesian, written with the streaming writer.
"""

import datetime
from collections import defaultdict

from metro_slum.spreadsheets.errors import ErrorListing
from metro_slum.spreadsheets.writing import NUMBER, TEXT, Column, Sheet, write_xlsx


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def error_report(result: ErrorListing, file_name: str):
    """Return an open temporary XLSX: row number, the row's cells, and its problems.

    `result` has `errors`, `sheet`, `headers` (the file's header cells) and `error_rows` (row
    number -> the row's cells as written)."""
    problems = defaultdict(list)
    for error in result.errors:
        where = f"{error.column}: " if error.column else ""
        problems[error.row].append(f"{where}{error.message}")
    width = max([len(result.headers), *(len(v) for v in result.error_rows.values())])
    headers = [*result.headers, *[""] * (width - len(result.headers))]
    columns = [
        Column("Baris", 7, NUMBER),
        *(Column(header or f"Kolom {index}", 16, TEXT) for index, header in enumerate(headers, 1)),
        Column("Kesalahan", 70, TEXT),
    ]
    sheet = Sheet(
        name="Kesalahan",
        title="Baris yang belum dapat diimpor",
        subtitle=(
            f"Berkas {file_name}, lembar {result.sheet}: {len(problems)} baris, "
            f"{len(result.errors)} kesalahan. Perbaiki di berkas aslinya, lalu unggah lagi."
        ),
        columns=columns,
    )
    rows = (
        (
            number,
            *[_shown(v) for v in result.error_rows.get(number, ())],
            *[""] * (width - len(result.error_rows.get(number, ()))),
            " | ".join(problems[number]),
        )
        for number in sorted(problems)
    )
    output, _count = write_xlsx(sheet, rows)
    return output
