"""Participant and group lists as XLSX or CSV, for staff and supervisors, recorded in the log.

The rows come straight from the database as tuples (no model instances), in one query, so that a
list of 100,000 participants streams out in seconds and in little memory.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from metro_slum.replica import read_lazily_for_export, reading_for_export
from metro_slum.spreadsheets import NUMBER, Column, Sheet, csv_lines, write_xlsx
from participants.identity import mask, may_see_full_numbers
from participants.models import ExportRecord, Membership, Participant, ParticipantGroup
from participants.selectors import OFFICER_COUNT_FIELDS, group_list, roster_gaps
from participants.spreadsheet.layout import (
    DTKS_LABELS,
    PARTICIPANT_COLUMNS,
    PARTICIPANT_LIST,
    indonesian_labels,
)


def business_label(business: str, other: str, labels: dict) -> str:
    return other if business == ParticipantGroup.BusinessType.OTHER else labels.get(business, "")


@dataclass(frozen=True)
class Scope:
    """Which participants a list covers, and how its title and file name say so."""

    program: object = None
    kecamatan: object = None
    kelurahan: object = None
    group: object = None
    participant_ids: object = None  # a queryset of participant pks chosen in admin
    label_override: str = ""

    @property
    def label(self) -> str:
        if self.label_override:
            return self.label_override
        parts = []
        if self.group:
            parts.append(self.group.titled_name)
        if self.kelurahan:
            parts.append(f"Kelurahan {self.kelurahan.name}")
        if self.kecamatan:
            parts.append(f"Kecamatan {self.kecamatan.name}")
        return ", ".join(parts) or "Seluruh Kota Metro"

    def filters(self, prefix="") -> Q:
        q = Q()
        if self.participant_ids is not None:
            q &= Q(**{f"{prefix}pk__in": self.participant_ids})
        if self.kelurahan:
            q &= Q(**{f"{prefix}kelurahan": self.kelurahan})
        if self.kecamatan:
            q &= Q(**{f"{prefix}kelurahan__kecamatan": self.kecamatan})
        return q


def _sources(per_membership: bool) -> list[str]:
    """The list's columns as database paths, read from Membership or from Participant rows; the
    business type's "other" text comes last, for the business column."""
    paths = []
    for column in PARTICIPANT_LIST:
        if not column.source:
            continue
        if column.source.startswith("@"):
            through = "" if per_membership else "memberships__"
            paths.append(through + column.source[1:])
        else:
            paths.append(("participant__" if per_membership else "") + column.source)
    paths.append(("" if per_membership else "memberships__") + "group__business_type_other")
    return paths


def participant_rows(scope: Scope):
    """Return the rows of a participant list, as values in the export's column order."""
    if scope.program or scope.group:
        # A programme's or a group's list: one row per membership.
        memberships = Membership.objects.filter(scope.filters("participant__"))
        if scope.program:
            memberships = memberships.filter(program=scope.program)
        if scope.group:
            memberships = memberships.filter(group=scope.group)
        return memberships.order_by(
            "group__kelurahan__code", "group__name", "participant__full_name"
        ).values_list(*_sources(per_membership=True))
    # An area's list: every registered person, with their group where they have one.
    return (
        Participant.objects.filter(scope.filters())
        .order_by("kelurahan__code", "full_name", "pk")
        .values_list(*_sources(per_membership=False))
    )


def _participant_tuples(scope: Scope, visible_to):
    """Yield one tuple per participant and membership in scope, in the export's column order."""
    hide = not may_see_full_numbers(visible_to)
    roles = indonesian_labels(Membership.Role)
    businesses = indonesian_labels(ParticipantGroup.BusinessType)
    sourced = [column for column in PARTICIPANT_LIST if column.source]
    shown = {
        "NIK": (lambda value, _other: mask(value)) if hide else None,
        "No. KK": (lambda value, _other: mask(value)) if hide else None,
        "Program": lambda value, _other: value or "",
        "Kelompok": lambda value, _other: value or "",
        "Jabatan": lambda value, _other: roles.get(value, ""),
        "Jenis Usaha": lambda value, other: business_label(value, other, businesses),
        "Status DTKS": lambda value, _other: DTKS_LABELS.get(value, value),
    }
    # Only the columns that need it are formatted; the others pass as the database gives them.
    active = [
        (index + 1, shown[c.header]) for index, c in enumerate(sourced) if shown.get(c.header)
    ]
    for number, row in enumerate(participant_rows(scope).iterator(chunk_size=5000), start=1):
        values = [number, *row]
        other = values.pop()
        for index, format_ in active:
            values[index] = format_(values[index], other)
        yield values


def participant_sheet(scope: Scope, user, today: datetime.date) -> Sheet:
    program = f" – {scope.program.name} ({scope.program.year})" if scope.program else ""
    return Sheet(
        name="Peserta",
        title=f"Daftar Peserta{program}",
        subtitle=(
            f"Wilayah: {scope.label}. Dinas Sosial Kota Metro, dicetak "
            f"{today:%d/%m/%Y} oleh {user.get_full_name() or user.get_username()}."
        ),
        columns=PARTICIPANT_COLUMNS,
    )


def export_filename(kind: str, scope_label: str, today: datetime.date, extension: str) -> str:
    return f"{kind}_{slugify(scope_label)[:60]}_{today:%Y-%m-%d}.{extension}"


@dataclass
class Export:
    """A finished XLSX (`file`) or a CSV stream (`lines`), with the name to download it under."""

    filename: str
    content_type: str
    file: object = None
    lines: object = None


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


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


def may_export(user) -> bool:
    """Whether the user may take lists out of the office (they carry personal data)."""
    return user.has_perm("participants.export_participants")


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


def participants_export(*, user, scope: Scope, file_format: str = "xlsx") -> Export:
    today = timezone.localdate()
    return export_rows(
        user=user,
        kind=ExportRecord.Kind.PARTICIPANTS,
        sheet=participant_sheet(scope, user, today),
        rows=_participant_tuples(scope, user),
        scope_label=scope.label,
        file_format=file_format,
    )


GROUP_COLUMNS = (
    Column("No", 6, NUMBER),
    Column("Kelompok", 30),
    Column("Program", 30),
    Column("Tahun", 8, NUMBER),
    Column("Kelurahan", 18),
    Column("Kecamatan", 15),
    Column("Jenis Usaha", 26),
    Column("Jumlah Anggota", 10, NUMBER),
    Column("Ketua", 26),
    Column("Lengkap", 9),
)


def _present(officer_counts) -> set:
    """Return the officer roles a group has, from its counts in OFFICER_COUNT_FIELDS' order."""
    return {role for role, count in zip(OFFICER_COUNT_FIELDS, officer_counts, strict=True) if count}


def groups_export(*, user, queryset, scope_label: str, file_format: str = "xlsx") -> Export:
    businesses = indonesian_labels(ParticipantGroup.BusinessType)
    groups = (
        group_list()
        .filter(pk__in=queryset.values("pk"))
        .order_by("kelurahan__code", "name")
        .values_list(
            "name",
            "program__name",
            "program__year",
            "kelurahan__name",
            "kelurahan__kecamatan__name",
            "business_type",
            "business_type_other",
            "member_count",
            "chair_name",
            *OFFICER_COUNT_FIELDS.values(),
        )
    )
    rows = (
        (
            number,
            name,
            program,
            year,
            kelurahan,
            kecamatan,
            business_label(business, other, businesses),
            members,
            chair or "",
            "Belum" if roster_gaps(members, _present(officers)) else "Ya",
        )
        for number, (
            name,
            program,
            year,
            kelurahan,
            kecamatan,
            business,
            other,
            members,
            chair,
            *officers,
        ) in enumerate(groups.iterator(), start=1)
    )
    today = timezone.localdate()
    sheet = Sheet(
        name="Kelompok",
        title="Daftar Kelompok",
        subtitle=f"{scope_label}. Dinas Sosial Kota Metro, dicetak {today:%d/%m/%Y}.",
        columns=GROUP_COLUMNS,
    )
    return export_rows(
        user=user,
        kind=ExportRecord.Kind.GROUPS,
        sheet=sheet,
        rows=rows,
        scope_label=scope_label,
        file_format=file_format,
    )


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
