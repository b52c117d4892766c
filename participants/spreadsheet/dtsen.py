"""A DTSEN list as the office receives it (XLSX or CSV): every household's rank recorded, every
resident not in the programme listed as a candidate.

The same reading and the same safety as the participant list (preview first, every problem named
by row and column, all rows or none, NIK and No. KK read as text). A row finds its person by NIK
among the participants, else its household by No. KK; the household's rank is recorded from the
row, as of the list's own date (a reading already there for that date is not recorded twice).
A resident found neither way is not registered: they are listed as a candidate of their
kelurahan, with their identity, so that a social worker can register them in one step.

The office gives the list's date and its scope (the desil it holds: all, or e.g. 1–5) when it
imports it; a row outside the scope is refused, and a household the list does not hold is read
as absent only when the list holds every desil.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from metro_slum.spreadsheets import DATE, NUMBER, cells
from metro_slum.spreadsheets.errors import ErrorListing, RowErrors
from metro_slum.spreadsheets.layout import ListColumn, TableLayout
from metro_slum.spreadsheets.reading import ImportRefused, data_rows, read_table
from participants import proposals
from participants.identity import (
    mask,
    nik_agreement_errors,
    validate_kk,
    validate_nik,
    validate_person_name,
)
from participants.models import Candidate, DtsenList, HouseholdRank, Kelurahan, Participant
from participants.models.ranks import (
    DESIL_RANGE,
    HIGHEST_DESIL,
    LOWEST_DESIL,
    standing_words,
    validate_not_future,
)
from participants.regions import region_name_key

__all__ = ["DTSEN_HEADERS", "DTSEN_LIST", "DtsenImportResult", "ImportRefused", "run_dtsen_import"]

DTSEN_LIST = (
    ListColumn("NIK", 19, field="nik", required=True, typed_as_text=True),
    ListColumn("No. KK", 19, field="kk_number", aliases=("Nomor KK", "KK", "No KK"),
               required=True, typed_as_text=True),
    ListColumn("Nama", 28, field="full_name", aliases=("Nama Lengkap", "Nama Anggota"),
               required=True),
    ListColumn("Tanggal Lahir", 13, DATE, field="birth_date", aliases=("Tgl Lahir",)),
    ListColumn("Desil", 7, NUMBER, field="desil", aliases=("Desil Nasional", "Peringkat Desil"),
               required=True),
    ListColumn("Alamat", 30, field="address", required=True),
    ListColumn("RT", 5, field="rt", typed_as_text=True),
    ListColumn("RW", 5, field="rw", typed_as_text=True),
    ListColumn("Kelurahan", 18, field="kelurahan", aliases=("Desa/Kelurahan", "Kode Kelurahan"),
               required=True),
    ListColumn("Kecamatan", 15, field="kecamatan"),
    ListColumn("ID DTSEN", 20, field="dtsen_id", aliases=("ID Keluarga", "ID Keluarga DTSEN")),
)  # fmt: skip
DTSEN_TABLE = TableLayout.of(DTSEN_LIST)
DTSEN_HEADERS = DTSEN_TABLE.labels
PREVIEW_ROWS = 200
CHUNK = 500  # identity numbers per query

# What a row does, as the preview says it.
BY_NIK, BY_KK, CANDIDATE, REPEATED = "nik", "kk", "candidate", "repeated"


@dataclass(frozen=True)
class DtsenPreviewRow:
    number: int
    nik: str  # masked
    full_name: str
    kelurahan: str
    reading: str  # "Desil 2"
    found: str  # BY_NIK, BY_KK, CANDIDATE or REPEATED
    recorded: bool  # False when the household already has this reading
    note: str = ""

    @property
    def outcome(self) -> str:
        words = {
            BY_NIK: _("participant (found by NIK)"),
            BY_KK: _("household of a participant (found by No. KK)"),
            CANDIDATE: _("not in the programme: listed as a candidate"),
            REPEATED: _("repeats an earlier row"),
        }[self.found]
        if not self.recorded and self.found != REPEATED:
            words += " · " + _("rank already recorded")
        return words


@dataclass
class DtsenImportResult(ErrorListing):
    rows: int = 0
    ranks_recorded: int = 0
    ranks_unchanged: int = 0
    matched_by_nik: int = 0
    matched_by_kk: int = 0
    candidates: int = 0
    proposals_read: int = 0
    sheet: str = ""
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    error_rows: dict = field(default_factory=dict)
    dtsen_list: DtsenList | None = None


@dataclass
class _Row:
    number: int
    nik: str
    kk_number: str
    full_name: str
    birth_date: datetime.date | None
    desil: int
    address: str
    rt: str
    rw: str
    kelurahan: Kelurahan
    dtsen_id: str
    repeats: int | None = None  # the earlier row this one repeats exactly


def _kelurahan_keys() -> dict:
    """What a list may write for a kelurahan -> the kelurahan: its name or its code, with or
    without the dots (18.72.01.1004)."""
    keys = {}
    for kelurahan in Kelurahan.objects.select_related("kecamatan"):
        keys[region_name_key(kelurahan.name)] = kelurahan
        keys[kelurahan.code] = kelurahan
    return keys


def _kelurahan(written: str, keys: dict) -> Kelurahan | None:
    digits = written.replace(".", "").replace(" ", "")
    if digits.isdigit():
        return keys.get(digits)
    return keys.get(region_name_key(written))


def _parse(number, raw, kelurahan_keys, scope: range, errors: RowErrors) -> _Row | None:
    """One row's cells to values, or None after naming each problem."""
    ok = True

    def refuse(name, message):
        nonlocal ok
        errors.add(number, name, raw.get(name), message)
        ok = False

    def parse(name, parser, *args):
        try:
            return parser(raw.get(name), *args)
        except ValueError as exc:
            refuse(name, exc)
            return None

    def check(name, validator, value):
        try:
            validator(value)
        except ValidationError as error:
            refuse(name, " ".join(error.messages))

    nik = parse("nik", cells.identity, "NIK")
    if nik is not None:
        check("nik", validate_nik, nik)
    kk_number = parse("kk_number", cells.identity, "No. KK")
    if kk_number is not None:
        check("kk_number", validate_kk, kk_number)
    full_name = cells.text(raw.get("full_name"))
    check("full_name", validate_person_name, full_name)
    birth_date = parse("birth_date", cells.date)
    if ok and birth_date is not None:
        for error in nik_agreement_errors(nik, birth_date, None):
            refuse("birth_date", " ".join(error.messages))
    desil = parse("desil", cells.whole)
    if desil is None and cells.text(raw.get("desil")) == "":
        refuse("desil", _("Write the household's desil, a whole number from 1 to 10."))
    elif desil is not None and not LOWEST_DESIL <= desil <= HIGHEST_DESIL:
        refuse("desil", _("Desil %(desil)s does not exist. %(range)s") % {
            "desil": desil, "range": DESIL_RANGE,
        })  # fmt: skip
    elif desil is not None and desil not in scope:
        refuse("desil", _(
            "Desil %(desil)s is outside the list's scope you gave (desil %(low)d–%(high)d): "
            "give the scope the list really has, or ask its sender."
        ) % {"desil": desil, "low": scope.start, "high": scope.stop - 1})  # fmt: skip
    address = cells.text(raw.get("address"))
    if not address:
        refuse("address", _("Write the address as the list gives it."))
    rt, rw = cells.text(raw.get("rt")), cells.text(raw.get("rw"))
    for name, value in (("rt", rt), ("rw", rw)):
        if value and not (value.isdigit() and len(value) <= 3):
            refuse(name, _("RT and RW are 1 to 3 digits."))
    written_kelurahan = cells.text(raw.get("kelurahan"))
    kelurahan = _kelurahan(written_kelurahan, kelurahan_keys)
    if kelurahan is None:
        refuse(
            "kelurahan",
            _(
                "'%(value)s' is not a kelurahan of Kota Metro. This list can only be imported for "
                "Kota Metro: write one of its 22 kelurahan (e.g. Hadimulyo Barat) or its code "
                "(e.g. 1872011004), or ask for the list of Kota Metro only."
            )
            % {"value": written_kelurahan},
        )
    kecamatan = cells.text(raw.get("kecamatan"))
    if (
        kelurahan is not None
        and kecamatan
        and region_name_key(kecamatan) != region_name_key(kelurahan.kecamatan.name)
        and kecamatan.replace(".", "") != kelurahan.kecamatan.code
    ):
        refuse(
            "kecamatan",
            _("Kelurahan %(kelurahan)s is in Kecamatan %(kecamatan)s. Check both columns.")
            % {"kelurahan": kelurahan.name, "kecamatan": kelurahan.kecamatan.name},
        )
    dtsen_id = cells.text(raw.get("dtsen_id"))
    if len(dtsen_id) > 40:
        refuse("dtsen_id", _("A DTSEN ID has at most 40 characters."))
    if not ok:
        return None
    return _Row(
        number, nik, kk_number, full_name[:150], birth_date, desil, address[:255],
        rt.zfill(3) if rt else "", rw.zfill(3) if rw else "", kelurahan, dtsen_id,
    )  # fmt: skip


def _conflicts(rows: list[_Row], errors: RowErrors) -> list[_Row]:
    """Refuse a person or a household ranked twice differently in one list; drop exact repeats
    of a person. Return the rows to use (and the repeats, marked, for the preview)."""
    by_nik, by_household, kept = {}, {}, []
    for row in rows:
        earlier = by_nik.get(row.nik)
        if earlier is not None:
            if earlier.desil != row.desil:
                errors.add(
                    row.number,
                    "desil",
                    row.desil,
                    _(
                        "This NIK is also in row %(row)d with desil %(desil)s: one person has one "
                        "rank in a list. Check both rows with the list's sender."
                    )
                    % {"row": earlier.number, "desil": earlier.desil},
                )
            else:
                row.repeats = earlier.number
                kept.append(row)
            continue
        by_nik[row.nik] = row
        other = by_household.get(row.kk_number)
        if other is not None and other.desil != row.desil:
            errors.add(
                row.number,
                "desil",
                row.desil,
                _(
                    "Row %(row)d gives this family card (No. KK) desil %(desil)s: a household "
                    "has one desil. Check both rows with the list's sender."
                )
                % {"row": other.number, "desil": other.desil},
            )
            continue
        by_household.setdefault(row.kk_number, row)
        kept.append(row)
    return kept


def _in_chunks(values, query):
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        yield from query(values[start : start + CHUNK])


def list_scope(as_of, desil_from: int, desil_to: int) -> range:
    """The desil a list holds, checked with its date; ImportRefused says what is wrong."""
    try:
        validate_not_future(as_of)
    except ValidationError as error:
        raise ImportRefused(" ".join(error.messages)) from error
    if not LOWEST_DESIL <= desil_from <= desil_to <= HIGHEST_DESIL:
        raise ImportRefused(
            _("The list's scope is desil %(low)s–%(high)s: give two desil from 1 to 10, the "
              "lowest first.") % {"low": desil_from, "high": desil_to}
        )  # fmt: skip
    return range(desil_from, desil_to + 1)


def run_dtsen_import(
    uploaded,
    *,
    user,
    dry_run: bool,
    as_of: datetime.date,
    desil_from: int = LOWEST_DESIL,
    desil_to: int = HIGHEST_DESIL,
) -> DtsenImportResult:
    """Check every row of a list dated `as_of` holding desil `desil_from`–`desil_to`; record every
    rank and list every candidate (or, in a dry run, nothing) if every row is right."""
    if user is None or not user.has_perm("participants.add_householdrank"):
        raise PermissionDenied(_("You may not import DTSEN lists."))
    scope = list_scope(as_of, desil_from, desil_to)
    table = read_table(uploaded, DTSEN_TABLE)
    result = DtsenImportResult(sheet=table.sheet, headers=table.headers)
    errors = RowErrors(DTSEN_HEADERS)
    keys = _kelurahan_keys()
    parsed, written = [], {}
    for sheet_row in data_rows(table):
        written[sheet_row.number] = sheet_row.values
        if errors.formulas(sheet_row, table.columns):
            continue
        raw = {
            name: sheet_row.values[index] if index < len(sheet_row.values) else None
            for index, name in table.columns.items()
        }
        row = _parse(sheet_row.number, raw, keys, scope, errors)
        if row is not None:
            parsed.append(row)
    result.rows = len(parsed) + len({e.row for e in errors})
    if result.rows == 0:
        raise ImportRefused(
            _("Below the header row (row %(row)d) there is nobody. Fill in the list first.")
            % {"row": table.header_row}
        )
    rows = _conflicts(parsed, errors)
    people = {
        p.nik: p
        for p in _in_chunks(
            (r.nik for r in rows),
            lambda niks: Participant.objects.filter(nik__in=niks).only(
                "nik", "kk_number", "full_name", "birth_date"
            ),
        )
    }
    households = set(
        _in_chunks(
            (r.kk_number for r in rows),
            lambda kks: (
                Participant.objects.filter(kk_number__in=kks)
                .values_list("kk_number", flat=True)
                .distinct()
            ),
        )
    )
    for row in rows:
        person = people.get(row.nik)
        if person is not None and row.birth_date and row.birth_date != person.birth_date:
            errors.add(
                row.number,
                "birth_date",
                f"{row.birth_date:%d/%m/%Y}",
                _(
                    "This NIK is registered as %(name)s, born %(born)s. Check the NIK and the "
                    "birth date with the list's sender."
                )
                % {"name": person.full_name, "born": f"{person.birth_date:%d/%m/%Y}"},
            )
    result.errors = errors.in_order()
    if result.errors:
        return result.finish(table, written, dry_run=dry_run)

    # Each household's reading, and what is already recorded for it as of the list's date.
    readings = {}  # kk -> (desil, dtsen_id)
    plan = []  # (row, found, household)
    for row in rows:
        person = people.get(row.nik)
        if row.repeats is not None:
            found = REPEATED
        elif person is not None:
            found = BY_NIK
        elif row.kk_number in households:
            found = BY_KK
        else:
            found = CANDIDATE
        household = person.kk_number if person is not None else row.kk_number
        readings.setdefault(household, (row.desil, row.dtsen_id))
        plan.append((row, found, household))
    recorded = {}
    for rank in _in_chunks(
        readings,
        lambda kks: (
            HouseholdRank.objects.filter(kk_number__in=kks, as_of=as_of)
            .order_by("recorded_at", "pk")
            .only("kk_number", "desil", "in_dtsen")
        ),
    ):
        recorded[rank.kk_number] = rank.desil if rank.in_dtsen else "out"
    new_readings = {key: value for key, value in readings.items() if recorded.get(key) != value[0]}

    file_name = str(getattr(uploaded, "name", "") or "DTSEN.xlsx")[:200]
    with transaction.atomic():
        dtsen_list = DtsenList.objects.create(
            file_name=file_name, as_of=as_of, desil_from=scope.start, desil_to=scope.stop - 1,
            rows=len(rows), imported_by=user,
        )  # fmt: skip
        dtsen_list.kelurahan.set({row.kelurahan.pk for row in rows})
        bulk_create_with_history(
            [
                HouseholdRank(
                    kk_number=kk,
                    as_of=as_of,
                    desil=desil,
                    dtsen_id=dtsen_id,
                    source=HouseholdRank.Source.DTSEN_IMPORT,
                    note=_("DTSEN list %(file)s") % {"file": file_name},
                    recorded_by=user,
                )
                for kk, (desil, dtsen_id) in new_readings.items()
            ],
            HouseholdRank,
            batch_size=1000,
            default_user=user,
        )
        candidates = {row.nik: row for row, found, _kk in plan if found == CANDIDATE}
        _list_candidates(candidates, dtsen_list)
        # The list shows the outcome of the office's proposals sent before its date.
        result.proposals_read = proposals.answer_from_list(
            dtsen_list=dtsen_list,
            rows={
                row.nik: {
                    "kk_number": row.kk_number, "full_name": row.full_name,
                    "address": row.address, "rt": row.rt, "rw": row.rw, "desil": row.desil,
                }
                for row in rows
            },
            households={kk: desil for kk, (desil, _id) in readings.items()},
        )  # fmt: skip
        for row, found, household in plan:
            if len(result.preview) >= PREVIEW_ROWS:
                break
            person = people.get(row.nik)
            result.preview.append(
                DtsenPreviewRow(
                    number=row.number,
                    nik=mask(row.nik),
                    full_name=row.full_name,
                    kelurahan=row.kelurahan.name,
                    reading=str(standing_words(True, row.desil)),
                    found=found,
                    recorded=household in new_readings,
                    note=(
                        _("registered as %(name)s") % {"name": person.full_name}
                        if person is not None and person.full_name != row.full_name
                        else ""
                    ),
                )
            )
        result.ranks_recorded = len(new_readings)
        result.ranks_unchanged = len(readings) - len(new_readings)
        result.matched_by_nik = sum(1 for _r, found, _kk in plan if found == BY_NIK)
        result.matched_by_kk = sum(1 for _r, found, _kk in plan if found == BY_KK)
        result.candidates = len(candidates)
        for name in (
            "ranks_recorded", "ranks_unchanged", "matched_by_nik", "matched_by_kk", "candidates",
        ):  # fmt: skip
            setattr(dtsen_list, name, getattr(result, name))
        dtsen_list.save()
        result.dtsen_list = dtsen_list
        if dry_run:
            transaction.set_rollback(True)
    return result.finish(table, written, dry_run=dry_run)


def _list_candidates(rows: dict, dtsen_list: DtsenList) -> None:
    """List (or bring up to date) the residents not in the programme, by NIK."""
    existing = {
        c.nik: c for c in _in_chunks(rows, lambda niks: Candidate.objects.filter(nik__in=niks))
    }
    fields = (
        "kk_number", "full_name", "birth_date", "address", "rt", "rw", "kelurahan", "dtsen_id",
    )  # fmt: skip
    create, update = [], []
    for nik, row in rows.items():
        candidate = existing.get(nik) or Candidate(nik=nik)
        for name in fields:
            setattr(candidate, name, getattr(row, name))
        candidate.listed_in = dtsen_list
        candidate.listed_as_of = dtsen_list.as_of
        (update if candidate.pk else create).append(candidate)
    Candidate.objects.bulk_create(create, batch_size=1000)
    Candidate.objects.bulk_update(update, [*fields, "listed_in", "listed_as_of"], batch_size=1000)
