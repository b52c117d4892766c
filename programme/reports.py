"""Reports a clerk prints or sends: the programme recap, the list of grant recipients and the
monitoring report for a period. Each is built once and shown as an A4 page or written as XLSX
through the project's spreadsheet writer."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from complaints.report import figures as complaint_figures
from families.outcomes import Outcomes, outcomes_of
from grants.models import MonitoringVisit
from grants.selectors import COMMITTED_STATUSES
from metro_slum.formatting import rupiah
from metro_slum.reports import Report
from metro_slum.spreadsheets import DATE, MONEY, NUMBER, TEXT, Column
from participants.models import ParticipantGroup


def _programme_line(program) -> str:
    if program is None:
        return _("No programme yet")
    return f"{program.name} ({program.year})"


def _with_total(report: Report, label_column: int = 1) -> Report:
    """Add a total row summing the report's money columns."""
    totals = []
    for index, column in enumerate(report.columns):
        if column.kind == MONEY:
            totals.append(sum((row[index] or 0 for row in report.rows), 0))
        elif index == label_column:
            totals.append(_("Total"))
        else:
            totals.append(None if column.kind != TEXT else "")
    report.total_row = tuple(totals)
    return report


def recap_by_kecamatan(rows) -> list:
    """The programme's table reproduced from the data: kecamatan, kelurahan, group, business."""
    return sorted(rows, key=lambda row: (row.kelurahan.kecamatan.code, row.kelurahan.code))


def recap_report(*, rows, program, **_kwargs) -> Report:
    columns = [
        Column(pgettext("row number column", "No"), 5, NUMBER),
        Column(_("Kecamatan"), 15),
        Column(_("Kelurahan"), 18),
        Column(_("Group"), 28),
        Column(_("Business"), 24),
        Column(_("Members"), 9, NUMBER),
        Column(_("Stage"), 28),
        Column(_("Approved"), 15, MONEY),
        Column(_("Disbursed"), 15, MONEY),
    ]
    table = [
        (
            number,
            row.kelurahan.kecamatan.name,
            row.kelurahan.name,
            row.name,
            row.business_label or "",
            row.member_count,
            f"{row.stage.number}. {row.stage.label}",
            row.amount_approved if row.grant_status in COMMITTED_STATUSES else None,
            row.disbursed,
        )
        for number, row in enumerate(recap_by_kecamatan(rows), start=1)
    ]
    report = Report(
        key="rekap",
        title=_("Programme recap"),
        subtitle=_programme_line(program),
        columns=columns,
        rows=table,
    )
    if program is not None:
        report.summary = [(_("Total budget"), rupiah(program.total_budget))]
    return _with_total(report, label_column=1)


def recipients_report(*, rows, program, **_kwargs) -> Report:
    columns = [
        Column(pgettext("row number column", "No"), 5, NUMBER),
        Column(_("Group"), 28),
        Column(_("Kelurahan"), 18),
        Column(_("Kecamatan"), 15),
        Column(_("Business"), 24),
        Column(_("Chair"), 24),
        Column(_("Members"), 9, NUMBER),
        Column(_("Approved"), 15, MONEY),
        Column(_("Disbursed"), 15, MONEY),
        Column(_("First disbursement"), 13, DATE),
    ]
    recipients = [row for row in recap_by_kecamatan(rows) if row.grant_status in COMMITTED_STATUSES]
    table = [
        (
            number,
            row.name,
            row.kelurahan.name,
            row.kelurahan.kecamatan.name,
            row.business_label or "",
            row.chair_name or "",
            row.member_count,
            row.amount_approved,
            row.disbursed,
            row.first_disbursed_on,
        )
        for number, row in enumerate(recipients, start=1)
    ]
    report = Report(
        key="penerima",
        title=_("List of grant recipients"),
        subtitle=_programme_line(program),
        columns=columns,
        rows=table,
    )
    return _with_total(report)


def monitoring_report(*, rows, program, start: datetime.date, end: datetime.date, **_kw) -> Report:
    columns = [
        Column(pgettext("row number column", "No"), 5, NUMBER),
        Column(_("Date"), 12, DATE),
        Column(_("Group"), 26),
        Column(_("Kelurahan"), 16),
        Column(_("Business status"), 14),
        Column(_("Monthly revenue"), 15, MONEY),
        Column(_("Monthly profit"), 15, MONEY),
        Column(_("Active members"), 9, NUMBER),
        Column(_("Problems"), 30),
        Column(_("Follow-up"), 30),
    ]
    visits = (
        MonitoringVisit.objects.filter(
            grant__group__in=[row.pk for row in rows], visit_date__range=(start, end)
        )
        .select_related("grant__group__kelurahan")
        .order_by("visit_date", "grant__group__kelurahan__code", "pk")
    )
    table = [
        (
            number,
            visit.visit_date,
            visit.grant.group.name,
            visit.grant.group.kelurahan.name,
            visit.get_business_status_display(),
            visit.monthly_revenue,
            visit.monthly_profit,
            visit.active_members,
            visit.problems,
            visit.follow_up,
        )
        for number, visit in enumerate(visits, start=1)
    ]
    counts = {value: 0 for value in MonitoringVisit.BusinessStatus.values}
    for visit in visits:
        counts[visit.business_status] += 1
    period = _("%(start)s to %(end)s") % {
        "start": date_format(start, "d/m/Y"),
        "end": date_format(end, "d/m/Y"),
    }
    report = Report(
        key="pemantauan",
        title=_("Monitoring report"),
        subtitle=f"{_programme_line(program)} · {period}",
        columns=columns,
        rows=table,
        summary=[(_("Visits"), str(len(table)))]
        + [
            (str(MonitoringVisit.BusinessStatus(value).label), str(count))
            for value, count in counts.items()
        ],
    )
    return _with_total(report, label_column=2)


def _share(share) -> str:
    return f"{share.count}/{share.of} ({share.percent}%)" if share.of else "–"


def _change(value) -> str:
    return "–" if value is None else ("+" if value >= 0 else "") + rupiah(value)


def outcome_report(*, rows, program, **_kwargs) -> Report:
    """Whether the families are better off: each group against its baseline, and the whole."""
    groups = ParticipantGroup.objects.filter(pk__in=[row.pk for row in rows])
    figures = outcomes_of(groups, per_group=True)
    columns = [
        Column(pgettext("row number column", "No"), 5, NUMBER),
        Column(_("Year"), 7, NUMBER),
        Column(_("Kelurahan"), 16),
        Column(_("Group"), 26),
        Column(_("Business"), 20),
        Column(_("Members compared"), 10, NUMBER),
        Column(_("Mean income at baseline"), 15, MONEY),
        Column(_("Mean income now"), 15, MONEY),
        Column(_("Median change"), 14, MONEY),
        Column(_("Above the poverty line (baseline → now)"), 16),
        Column(_("Running after 6 months"), 11),
        Column(_("Running after 12 months"), 11),
        Column(_("Follow-ups resolved"), 10, NUMBER),
        Column(_("Follow-ups open"), 10, NUMBER),
    ]

    def running(group_figures, months):
        share = group_figures.survival.get(months)
        if not share or not share.of:
            return ""
        return _("yes") if share.count else _("no")

    table = []
    for number, row in enumerate(recap_by_kecamatan(rows), start=1):
        own = figures.by_group.get(row.pk) or Outcomes()
        above = (
            f"{own.above_line_baseline.count} → {own.above_line_latest.count} / "
            f"{own.above_line_latest.of}"
            if own.above_line_latest.of
            else ""
        )
        table.append(
            (
                number,
                row.program.year,
                row.kelurahan.name,
                row.name,
                row.business_label or "",
                own.members_compared,
                own.baseline_mean,
                own.latest_mean,
                own.change_median,
                above,
                running(own, 6),
                running(own, 12),
                own.follow_up_totals.get("resolved", 0),
                own.follow_up_totals.get("active", 0),
            )
        )
    subtitle = _programme_line(program) if program is not None else _("All programmes")
    summary = [
        (_("Members compared with their baseline"), str(figures.members_compared)),
        (_("Median change in members' monthly income"), _change(figures.change_median)),
        (_("Mean change"), _change(figures.change_mean)),
        (
            _("Households above the poverty line (baseline → now)"),
            f"{_share(figures.above_line_baseline)} → {_share(figures.above_line_latest)}",
        ),
        (_("Businesses running after 6 months"), _share(figures.survival.get(6))),
        (_("Businesses running after 12 months"), _share(figures.survival.get(12))),
        (
            _("Follow-ups: resolved / open / declined or not possible"),
            "{resolved} / {active} / {other}".format(
                **{"resolved": 0, "active": 0, "other": 0, **figures.follow_up_totals}
            ),
        ),
    ]
    summary += [
        (
            _("Aid: %(kind)s") % {"kind": kind},
            _("%(households)d households, %(value)s")
            % {"households": households, "value": rupiah(value) if value else "–"},
        )
        for kind, _records, households, value in figures.aid
    ]
    if figures.missing_lines:
        summary.append(
            (
                _("Poverty line not entered for"),
                ", ".join(str(year) for year in figures.missing_lines),
            )
        )
    return Report(
        key="hasil",
        title=_("Outcome report"),
        subtitle=subtitle,
        columns=columns,
        rows=table,
        summary=summary,
    )


def complaints_report(
    *, user, start: datetime.date, end: datetime.date, place=None, **_kw
) -> Report:
    """Complaints of a period (a month, usually) by category and kelurahan: received, closed,
    closed by their deadline, still overdue."""
    columns = [
        Column(_("Category"), 34),
        Column(_("Kelurahan"), 18),
        Column(_("Received"), 10, NUMBER),
        Column(_("Resolved or rejected"), 12, NUMBER),
        Column(_("On time"), 10, NUMBER),
        Column(_("On time (%)"), 10, NUMBER),
        Column(_("Overdue now"), 10, NUMBER),
    ]
    lines = complaint_figures(user=user, start=start, end=end, place=place)
    table = [
        (
            line.category,
            line.kelurahan,
            line.received,
            line.closed,
            line.on_time,
            None if line.on_time_share is None else round(100 * line.on_time_share),
            line.overdue,
        )
        for line in lines
    ]
    closed = sum(line.closed for line in lines)
    on_time = sum(line.on_time for line in lines)
    summary = [
        (_("Received"), str(sum(line.received for line in lines))),
        (_("Resolved or rejected"), str(closed)),
        (
            _("Resolved on time"),
            f"{on_time} ({round(100 * on_time / closed)} %)" if closed else "–",
        ),
        (_("Overdue now"), str(sum(line.overdue for line in lines))),
    ]
    if not user.has_perm("complaints.view_sensitive_complaint"):
        summary.append(
            (_("Sensitive complaints"), _("counted only in the designated officers' report"))
        )
    report = Report(
        key="pengaduan",
        title=_("Complaints report"),
        subtitle=_("%(start)s to %(end)s")
        % {
            "start": date_format(start, "d/m/Y"),
            "end": date_format(end, "d/m/Y"),
        },
        columns=columns,
        rows=table,
        summary=summary,
    )
    if table:
        report.total_row = (
            _("Total"),
            "",
            sum(line.received for line in lines),
            closed,
            on_time,
            round(100 * on_time / closed) if closed else None,
            sum(line.overdue for line in lines),
        )
    return report
