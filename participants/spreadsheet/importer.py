"""A participant list coming back from Excel or LibreOffice: check every row, then write all.

Every row is read (reading.py), each cell turned into a value (cells.py), every person checked and
written by the participant services, every membership by the group services; if anything is
wrong nothing stays written, and every problem names the row as the clerk sees it, the column, the
value and what to do. The dry run takes exactly the same path and rolls it back.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from metro_slum.spreadsheets import cells
from metro_slum.spreadsheets.errors import ErrorListing, RowError, RowErrors
from metro_slum.spreadsheets.layout import header_key
from metro_slum.spreadsheets.reading import (
    ImportRefused,
    data_rows,
    read_table,
)
from participants import services
from participants.identity import mask
from participants.models import Kelurahan, Membership, Participant, ParticipantGroup, Program
from participants.regions import region_name_key
from participants.spreadsheet.layout import (
    HEADER_LABELS,
    PARTICIPANT_TABLE,
    PERSON_FIELDS,
    ROLE_KEYS,
    SEX_KEYS,
)

__all__ = ["ImportRefused", "ImportResult", "RowError", "run_import"]

# What an update compares: the participant's columns of the list, and the consent they imply.
COMPARED_FIELDS = (
    *(("kelurahan_id" if name == "kelurahan" else name) for name in PERSON_FIELDS if name != "nik"),
    "consent_given",
)
# The preview lists the first new people and every changed one (up to a limit), each change as
# field: old → new, so that the clerk sees what an update would overwrite before confirming.
PREVIEW_NEW_ROWS, PREVIEW_ROWS = 10, 200


@dataclass(frozen=True)
class PreviewRow:
    number: int
    person: Participant
    kind: str  # "baru" or "ubah"
    changes: list = field(default_factory=list)  # [(label, old, new)]


@dataclass
class ImportResult(ErrorListing):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)
    sheet: str = ""
    preview: list = field(default_factory=list)
    headers: list = field(default_factory=list)  # the file's header cells
    error_rows: dict = field(default_factory=dict)  # row number -> the row's cells, as written


def field_label(name: str) -> str:
    return capfirst(Participant._meta.get_field(name.removesuffix("_id")).verbose_name)


def shown_value(name: str, value, kelurahan_names: dict) -> str:
    """A stored value as the preview shows it: the kelurahan's name, day-first dates, yes/no."""
    if value is None or value == "":
        return "–"
    if name == "kelurahan_id":
        return kelurahan_names.get(value, "–")
    if name == "kk_number":
        return mask(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    field_ = Participant._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    return str(value)


@dataclass
class _Row:
    number: int
    raw: dict  # field -> the cell's value
    values: dict = field(default_factory=dict)


def _clean_person(row: _Row, kelurahan_by_key, errors: RowErrors):
    """Turn one spreadsheet row into participant field values, reporting each problem."""
    raw, values, ok = row.raw, {}, True

    def parse(field_name, parser, *args):
        nonlocal ok
        try:
            return parser(raw.get(field_name), *args)
        except ValueError as exc:
            errors.add(row.number, field_name, raw.get(field_name), exc)
            ok = False
            return None

    values["nik"] = parse("nik", cells.identity, "NIK") or ""
    values["kk_number"] = parse("kk_number", cells.identity, "No. KK") or ""
    for field_name in ("full_name", "birth_place", "address", "rt", "rw", "phone", "occupation"):
        values[field_name] = cells.text(raw.get(field_name))
    values["sex"] = (
        parse("sex", cells.choice, SEX_KEYS, _("Write L (laki-laki, male) or P (perempuan).")) or ""
    )
    kelurahan = kelurahan_by_key.get(region_name_key(cells.text(raw.get("kelurahan"))))
    if kelurahan is None:
        unknown = _(
            "No kelurahan of Kota Metro has this name. Check its spelling (e.g. %(example)s)."
        )
        errors.add(
            row.number, "kelurahan", raw.get("kelurahan"), unknown % {"example": "Hadimulyo Barat"}
        )
        ok = False
    values["kelurahan_id"] = kelurahan.pk if kelurahan else None
    values["birth_date"] = parse("birth_date", cells.date)
    values["consent_date"] = parse("consent_date", cells.date)
    values["monthly_income"] = parse("monthly_income", cells.money)
    values["household_size"] = parse("household_size", cells.whole) or 1
    values["consent_given"] = values["consent_date"] is not None
    return values if ok else None


def _no_nik_errors(rows_without, last_with_nik, errors: RowErrors) -> None:
    """Rows without a NIK: one message for a block under the list (a signature, a note), one per
    row inside it."""
    below = [number for number in rows_without if number > last_with_nik]
    for number in rows_without:
        if number <= last_with_nik:
            errors.add(number, "nik", "", _("This row has no NIK. Fill it in, or remove the row."))
    if below:
        errors.add(
            below[0],
            "nik",
            "",
            _(
                "Rows %(first)d–%(last)d under the list have no NIK: a signature or a note? "
                "Remove them from the list's sheet."
            )
            % {"first": below[0], "last": below[-1]}
            if len(below) > 1
            else _(
                "Row %(row)d under the list has no NIK: a signature or a note? Remove it from "
                "the list's sheet."
            )
            % {"row": below[0]},
        )


def _plan_memberships(rows, people_by_nik, errors: RowErrors):
    """Group the rows that name a group; return {group: [(row number, participant, role)]}."""
    wanted = [r for r in rows if cells.text(r.raw.get("group"))]
    if not wanted:
        return {}
    programs = {header_key(p.name): p for p in Program.objects.all()}
    active = [p for p in programs.values() if p.is_active]
    groups = {
        (g.program_id, g.kelurahan_id, header_key(g.name)): g
        for g in ParticipantGroup.objects.select_related("program", "kelurahan")
    }
    plan = defaultdict(list)
    for row in wanted:
        person = people_by_nik.get(row.values.get("nik"))
        if person is None:
            continue
        program_name = cells.text(row.raw.get("program"))
        program = (
            programs.get(header_key(program_name))
            if program_name
            else (active[0] if len(active) == 1 else None)
        )
        if program is None:
            errors.add(
                row.number,
                "program",
                program_name,
                _("Programme not found. Write the programme's name exactly as in the application."),
            )
            continue
        group = groups.get((program.pk, person.kelurahan_id, header_key(row.raw.get("group"))))
        if group is None:
            errors.add(
                row.number,
                "group",
                row.raw.get("group"),
                _(
                    "There is no such group in the participant's kelurahan for that programme. "
                    "Create the group in the application first, or check its spelling and "
                    "kelurahan."
                ),
            )
            continue
        try:
            role = cells.choice(
                cells.text(row.raw.get("role")) or Membership.Role.ANGGOTA,
                ROLE_KEYS,
                _("Write Ketua, Sekretaris, Bendahara or Anggota."),
            )
        except ValueError as exc:
            errors.add(row.number, "role", row.raw.get("role"), exc)
            continue
        plan[group].append((row.number, person, role))
    return plan


def _row_of_refusal(item: ValidationError, entries, current, additions) -> int:
    """The row a group rule's refusal is about: the 11th member's, the second chair's..."""
    params = item.params or {}
    by_person = {person.pk: number for number, person, _role in entries}
    if item.code == "group_full":
        index = params.get("max", 0) - len(current)
        if 0 <= index < len(additions):
            return additions[index][0]
    if item.code == "officer_taken":
        holders = [number for number, _person, role in entries if role == params.get("value")]
        kept = sum(
            1
            for membership in current.values()
            if membership.role == params.get("value") and membership.participant_id not in by_person
        )
        index = 0 if kept else 1
        if index < len(holders):
            return holders[index]
    if params.get("participant") in by_person:
        return by_person[params["participant"]]
    return entries[0][0]


def _apply_memberships(plan, errors: RowErrors):
    total = 0
    for group, entries in plan.items():
        current = {m.participant_id: m for m in group.memberships.all()}
        additions, changes, added = [], [], []
        for number, person, role in sorted(entries, key=lambda entry: entry[0]):
            membership = current.get(person.pk)
            if membership is None:
                additions.append(services.MemberAddition(person, role))
                added.append((number, person))
            elif membership.role != role:
                changes.append(services.MemberChange(membership, role))
        if not additions and not changes:
            continue
        try:
            created = services.group_roster_update(group=group, add=additions, change=changes)
        except ValidationError as error:
            for item in error.error_list:
                row = _row_of_refusal(item, sorted(entries, key=lambda e: e[0]), current, added)
                for message in item:
                    errors.add(row, "group", group.name, message)
            continue
        total += len(created) + len(changes)
    return total


def run_import(uploaded, *, user, dry_run: bool) -> ImportResult:
    """Check every row of the upload; write it all (or, in a dry run, nothing) if all is right."""
    table = read_table(uploaded, PARTICIPANT_TABLE)
    result = ImportResult(sheet=table.sheet, headers=table.headers)
    errors = RowErrors(HEADER_LABELS)
    kelurahan_by_key = {k.name_key: k for k in Kelurahan.objects.all()}

    parsed, written, without_nik = [], {}, []
    first_row_of_nik, last_with_nik = {}, 0
    for sheet_row in data_rows(table):
        written[sheet_row.number] = sheet_row.values
        raw = {
            name: sheet_row.values[index] if index < len(sheet_row.values) else None
            for index, name in table.columns.items()
        }
        row = _Row(sheet_row.number, raw)
        if errors.formulas(sheet_row, table.columns):
            continue
        if not cells.text(raw.get("nik")):
            without_nik.append(row.number)
            continue
        last_with_nik = row.number
        cleaned = _clean_person(row, kelurahan_by_key, errors)
        if cleaned is None:
            continue
        row.values = cleaned
        nik = cleaned["nik"]
        if nik in first_row_of_nik:
            errors.add(
                row.number,
                "nik",
                nik,
                _("This NIK is already in row %(row)d of the same file. One person, one row.")
                % {"row": first_row_of_nik[nik]},
            )
            continue
        first_row_of_nik[nik] = row.number
        parsed.append(row)
    _no_nik_errors(without_nik, last_with_nik, errors)
    result.rows = len(written)
    if result.rows == 0:
        raise ImportRefused(
            _("Below the header row (row %(row)d) there is no participant. Fill in the list first.")
            % {"row": table.header_row}
        )

    existing = {p.nik: p for p in Participant.objects.filter(nik__in=list(first_row_of_nik))}
    names = {k.pk: k.name for k in kelurahan_by_key.values()}
    to_create, to_update, people_by_nik, row_of = [], [], {}, {}
    for row in parsed:
        values = row.values
        person = existing.get(values["nik"])
        if person is None:
            person = Participant(**values)
            to_create.append(person)
            if sum(1 for entry in result.preview if entry.kind == "baru") < PREVIEW_NEW_ROWS:
                result.preview.append(PreviewRow(row.number, person, "baru"))
        else:
            changed = [f for f in COMPARED_FIELDS if getattr(person, f) != values[f]]
            before = {name: getattr(person, name) for name in changed}
            for name in changed:
                setattr(person, name, values[name])
            if changed:
                to_update.append((person, changed))
                if len(result.preview) < PREVIEW_ROWS:
                    changes = [
                        (
                            field_label(name),
                            shown_value(name, before[name], names),
                            shown_value(name, values[name], names),
                        )
                        for name in changed
                    ]
                    result.preview.append(PreviewRow(row.number, person, "ubah", changes))
            else:
                result.unchanged += 1
        people_by_nik[values["nik"]] = person
        row_of[id(person)] = row.number
    result.preview.sort(key=lambda entry: entry.number)

    with transaction.atomic():
        # Every created or changed person is checked and written by the participant services,
        # with a history record saying who and why.
        # A rehearsal is rolled back: its rows are checked by the database all the same, but
        # their history rows (half the cost of the write) are written only when the import is.
        problems = services.participants_bulk_save(
            create=to_create, update=to_update, by=user, reason=_("Excel import"),
            history=not dry_run,
        )  # fmt: skip
        for person, found in problems:
            for field_name, messages in found.items():
                value = getattr(person, field_name, "") if field_name != "__all__" else ""
                for message in messages:
                    errors.add(row_of[id(person)], field_name, value, message)
        if not errors:
            membership_plan = _plan_memberships(parsed, people_by_nik, errors)
            if not errors:
                result.memberships = _apply_memberships(membership_plan, errors)
        result.created, result.updated = len(to_create), len(to_update)
        result.errors = errors.in_order()
        if dry_run or result.errors:
            # Any error, or only a rehearsal: nothing stays written.
            transaction.set_rollback(True)
    return result.finish(table, written, dry_run=dry_run)
