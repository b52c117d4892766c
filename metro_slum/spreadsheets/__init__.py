"""Lists in and out of Excel and LibreOffice, for every app, one module per job.

- writing: a list that leaves the office, streamed as XLSX or CSV, safe to open;
- layout: a list's columns, defined once (header, aliases, width, kind, field), from which the
  export, the import, the template and the import page derive, and the table an import looks for;
- reading: what is really in an upload (sheets, rows, formulas, limits), whatever it declares;
- cells: one cell to one value, repairing or refusing what Excel did to it;
- errors: every problem of an import named by row, column and value, and the first shown;
- report: the clerk's own rows with what is wrong with each, as an XLSX;
- template: the empty list to fill in;
- waiting: where an upload waits between its preview and its confirmation;
- admin_import: django-import-export's admin pages around an importer of the project's.

The writing API is importable from the package itself (`from metro_slum.spreadsheets import Sheet`).
"""

from metro_slum.spreadsheets.writing import (
    CSV_TYPE,
    DATE,
    DATE_FORMAT,
    FORMULA_PREFIXES,
    HEADER_ROW,
    MONEY,
    MONEY_FORMAT,
    NUMBER,
    TEXT,
    XLSX_TYPE,
    Column,
    Sheet,
    csv_lines,
    neutralise,
    write_xlsx,
)

__all__ = [
    "CSV_TYPE", "DATE", "DATE_FORMAT", "FORMULA_PREFIXES", "HEADER_ROW", "MONEY", "MONEY_FORMAT",
    "NUMBER", "TEXT", "XLSX_TYPE", "Column", "Sheet", "csv_lines", "neutralise", "write_xlsx",
]  # fmt: skip
