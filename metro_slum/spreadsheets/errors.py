"""Every problem of an import, named as the clerk sees it: row, column, value and what to do.

An importer collects them all (`RowErrors`), writes nothing if there is one, and its outcome
(`ErrorListing`) shows the first SHOWN_ERRORS on the page and counts the rest; the error report
(report.py) lists them all.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from metro_slum.spreadsheets.reading import SheetRow, Table, cell_name, keep_for_confirmation

# The page lists this many problems; the rest are counted there and listed in the error report.
SHOWN_ERRORS = 100


@dataclass(frozen=True)
class RowError:
    row: int  # as the user sees it in the spreadsheet (1 = first row)
    column: str
    value: str
    message: str

    def __str__(self):
        where = _("Row %(row)d") % {"row": self.row}
        if self.column:
            where = _("Row %(row)d, column %(column)s") % {"row": self.row, "column": self.column}
        value = _(" (value: %(value)s)") % {"value": self.value} if self.value else ""
        return f"{where}{value}: {self.message}"


class RowErrors(list):
    """The problems found so far; a field is named by the header the list gives it."""

    def __init__(self, labels: dict):
        super().__init__()
        self.labels = labels

    def add(self, row: int, field_name: str, value, message) -> None:
        self.append(
            RowError(
                row=row,
                column=self.labels.get(field_name, ""),
                value="" if value is None else str(value)[:60],
                message=str(message),
            )
        )

    def formulas(self, row: SheetRow, columns: dict) -> bool:
        """Refuse every formula in a column the import reads, naming its cell; True if any."""
        found = False
        for index, formula in sorted(row.formulas.items()):
            if index in columns:
                self.add(
                    row.number,
                    columns[index],
                    formula,
                    _(
                        "Cell %(cell)s holds a formula, not a value. Put the value itself in the "
                        "cell: copy the cell and paste it back as a value (Paste Special → Values)."
                    )
                    % {"cell": cell_name(row.number, index)},
                )
                found = True
        return found

    def in_order(self) -> list:
        return sorted(self, key=lambda error: (error.row, error.column))


class ErrorListing:
    """What an import's outcome says of its problems: all of them in `errors`, the first
    SHOWN_ERRORS on the page, the rest counted."""

    errors: list

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list:
        return self.errors[:SHOWN_ERRORS]

    @property
    def more_errors(self) -> int:
        return max(0, len(self.errors) - SHOWN_ERRORS)

    def finish(self, table: Table, written: dict, *, dry_run: bool):
        """After every row is checked: keep the refused rows as written (`error_rows`, for the
        error report) and, after a clean rehearsal, the rows read (for its confirmation)."""
        self.error_rows = {error.row: written.get(error.row, ()) for error in self.errors}
        if dry_run and self.ok:
            keep_for_confirmation(table)
        return self
