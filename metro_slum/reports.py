"""A report as the office prints and sends it: a title, a summary, a table and its totals, shown
as an A4 page (templates/report.html) or written as XLSX through the project's spreadsheet writer,
logged like every list that leaves the office. The programme's reports and the slum trend report
are built as one."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metro_slum.export_kinds import export_kind
from metro_slum.exports import export_response, export_rows
from metro_slum.formatting import rupiah
from metro_slum.spreadsheets import DATE, MONEY, NUMBER, TEXT, Column, Sheet

__all__ = ["REPORT", "Column", "Report", "printed_line", "xlsx_response"]

# The kind of list a report is, as the export log names it.
REPORT = export_kind("report", gettext_lazy("Report"), "laporan")


@dataclass
class Report:
    key: str
    title: str
    subtitle: str
    columns: list[Column]
    rows: list[tuple]
    # (label, value shown) lines printed above the table.
    summary: list[tuple[str, str]] = field(default_factory=list)
    # The last row, printed bold: the sums of the money columns.
    total_row: tuple | None = None

    def display(self, values, empty: str = "–") -> list[str]:
        """Return the cells as people read them: rupiah, dd/mm/yyyy dates, plain text."""
        cells = []
        for column, value in zip(self.columns, values, strict=True):
            if value is None or value == "":
                cells.append(empty if column.kind != TEXT else "")
            elif column.kind == MONEY:
                cells.append(rupiah(value))
            elif column.kind == DATE:
                cells.append(date_format(value, "d/m/Y"))
            else:
                cells.append(str(value))
        return cells

    @property
    def display_rows(self):
        return [self.display(row) for row in self.rows]

    @property
    def display_total(self):
        return self.display(self.total_row, empty="") if self.total_row else None

    @property
    def money_columns(self) -> list[int]:
        return [i for i, column in enumerate(self.columns) if column.kind in (MONEY, NUMBER)]


def _printed() -> str:
    return _("Dinas Sosial Kota Metro · printed %(date)s") % {
        "date": date_format(timezone.localdate(), "j F Y")
    }


def xlsx_response(report: Report, *, user):
    """Write the report through the project's writer; logged like every list that leaves."""
    sheet = Sheet(
        name=report.title[:31],
        title=report.title,
        subtitle=f"{report.subtitle}. {_printed()}.",
        columns=report.columns,
    )
    rows = list(report.rows)
    if report.total_row:
        rows.append(report.total_row)
    export = export_rows(
        user=user,
        kind=REPORT,
        sheet=sheet,
        rows=rows,
        scope_label=f"{report.title} – {report.subtitle}",
        file_format="xlsx",
    )
    return export_response(export)


def printed_line() -> str:
    return _printed()
