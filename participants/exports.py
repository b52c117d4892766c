"""Participant and group lists as XLSX or CSV, for staff and supervisors, recorded in the log.

The rows come straight from the database as tuples (no model instances), in one query, so that a
list of 100,000 participants streams out in seconds and in little memory.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from metro_slum.export_kinds import export_kind
from metro_slum.exports import Export, export_rows
from metro_slum.roles import may_see_full_numbers
from metro_slum.spreadsheets import NUMBER, Column, Sheet
from metro_slum.spreadsheets.layout import indonesian_labels
from participants import ranks
from participants.identity import mask
from participants.models import Membership, Participant, ParticipantGroup
from participants.selectors import OFFICER_COUNT_FIELDS, group_list, roster_gaps
from participants.spreadsheet.layout import (
    PARTICIPANT_COLUMNS,
    PARTICIPANT_LIST,
)

# The kinds of list this app takes out of the office, as the export log names them.
PARTICIPANTS = export_kind("participants", gettext_lazy("Participants"), "peserta")
GROUPS = export_kind("groups", gettext_lazy("Groups"), "kelompok")


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
        if column.source.startswith("="):
            paths.append(column.source[1:])
        elif column.source.startswith("@"):
            through = "" if per_membership else "memberships__"
            paths.append(through + column.source[1:])
        else:
            paths.append(("participant__" if per_membership else "") + column.source)
    paths.append(("" if per_membership else "memberships__") + "group__business_type_other")
    return paths


def _rank_columns(kk_path: str) -> dict:
    """The household's latest DTSEN rank, for the columns whose source is "=rank_…"."""
    return {"rank_words": ranks.rank_words(kk_path), "rank_as_of": ranks.rank_as_of(kk_path)}


def participant_rows(scope: Scope):
    """Return the rows of a participant list, as values in the export's column order."""
    if scope.program or scope.group:
        # A programme's or a group's list: one row per membership.
        memberships = Membership.objects.filter(scope.filters("participant__"))
        if scope.program:
            memberships = memberships.filter(program=scope.program)
        if scope.group:
            memberships = memberships.filter(group=scope.group)
        return (
            memberships.annotate(**_rank_columns("participant__kk_number"))
            .order_by("group__kelurahan__code", "group__name", "participant__full_name")
            .values_list(*_sources(per_membership=True))
        )
    # An area's list: every registered person, with their group where they have one.
    return (
        Participant.objects.filter(scope.filters())
        .annotate(**_rank_columns("kk_number"))
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
        "Desil DTSEN": lambda value, _other: value or "",
        "Tanggal Data Desil": lambda value, _other: value or "",
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


def participants_export(*, user, scope: Scope, file_format: str = "xlsx") -> Export:
    today = timezone.localdate()
    return export_rows(
        user=user,
        kind=PARTICIPANTS,
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
        kind=GROUPS,
        sheet=sheet,
        rows=rows,
        scope_label=scope_label,
        file_format=file_format,
    )
