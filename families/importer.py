"""Aid from other agencies' lists, in bulk: the same reading and the same safety as the
participant import (preview first, every problem named by row and column, all rows or none).

Each row names its recipient by NIK (a registered participant), the kind of aid from the office's
list, its source, date and value or quantity. A row repeating aid of the same kind that the
household already received within the kind's period, in the register or earlier in the same
file, is not refused: the preview lists it as a possible double and it is saved marked so.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from families import services
from families.models import Aid, AidKind
from participants.identity import mask
from participants.models import Participant
from participants.spreadsheet import cells
from participants.spreadsheet.importer import ErrorListing, RowError
from participants.spreadsheet.layout import header_key
from participants.spreadsheet.reading import (
    ImportRefused,
    TableLayout,
    cell_name,
    data_rows,
    read_table,
)

__all__ = ["AID_HEADERS", "AidImportResult", "ImportRefused", "run_aid_import"]

# (field, header, aliases, required) – the template writes them in this order.
AID_COLUMNS = (
    ("nik", "NIK", ("NIK Penerima",), True),
    ("full_name", "Nama", ("Nama Lengkap", "Nama Penerima"), False),
    ("kind", "Jenis Bantuan", ("Jenis",), True),
    ("source", "Sumber", ("Sumber Bantuan", "Instansi", "Program"), True),
    ("received_on", "Tanggal Terima", ("Tanggal",), True),
    ("value", "Nilai (Rp)", ("Nilai", "Nominal"), False),
    ("quantity", "Jumlah", ("Banyaknya",), False),
    ("note", "Keterangan", ("Catatan",), False),
)
AID_HEADERS = {name: header for name, header, _aliases, _required in AID_COLUMNS}
AID_TABLE = TableLayout(
    columns={
        header_key(label): name
        for name, header, aliases, _required in AID_COLUMNS
        for label in (header, *aliases)
    },
    required=tuple(name for name, _h, _a, required in AID_COLUMNS if required),
    labels=AID_HEADERS,
)
PREVIEW_ROWS = 200
CHUNK = 500  # identity numbers per query


@dataclass(frozen=True)
class AidPreviewRow:
    number: int
    person: Participant
    aid: Aid
    double: str = ""  # what it may repeat, if anything


@dataclass
class AidImportResult(ErrorListing):
    created: int = 0
    doubles: int = 0
    rows: int = 0
    sheet: str = ""
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)


class _Errors(list):
    def add(self, row, name, value, message):
        self.append(
            RowError(
                row=row,
                column=AID_HEADERS.get(name, ""),
                value="" if value is None else str(value)[:60],
                message=str(message),
            )
        )


def _kind_hint(kinds) -> str:
    return _("Write one of the office's kinds of aid: %(kinds)s.") % {
        "kinds": ", ".join(sorted({k.name for k in kinds.values()}))
    }


def _parse(number, raw, kinds, errors: _Errors):
    """One row's cells to aid field values (and the NIK), or None after naming each problem."""
    ok = True

    def parse(name, parser, *args):
        nonlocal ok
        try:
            return parser(raw.get(name), *args)
        except ValueError as exc:
            errors.add(number, name, raw.get(name), exc)
            ok = False
            return None

    nik = parse("nik", cells.identity, "NIK")
    kind = kinds.get(header_key(cells.text(raw.get("kind"))))
    if kind is None:
        errors.add(number, "kind", raw.get("kind"), _kind_hint(kinds))
        ok = False
    source = cells.text(raw.get("source"))
    if not source:
        errors.add(number, "source", "", _("Write where the aid came from (agency, programme)."))
        ok = False
    received_on = parse("received_on", cells.date)
    if received_on is None and ok:
        errors.add(number, "received_on", "", _("Write the date the aid was received."))
        ok = False
    value = parse("value", cells.money)
    quantity = None
    if cells.text(raw.get("quantity")):
        quantity = parse("quantity", cells.whole)
    if not ok:
        return None
    return nik, {
        "kind": kind,
        "source": source[:200],
        "received_on": received_on,
        "value": value,
        "quantity": quantity,
        "note": cells.text(raw.get("note"))[:300],
    }


def _doubles_in_register(parsed) -> dict:
    """Aid already in the register (and the programme's grants) that each row may repeat, read
    in a few queries for the whole file."""
    if not parsed:
        return {}
    windows = {number: services.aid_window(v["kind"], v["received_on"]) for number, _p, v in parsed}
    households = sorted({person.kk_number for _n, person, _v in parsed})
    kinds = {values["kind"].pk for _n, _p, values in parsed}
    span = (min(w[0] for w in windows.values()), max(w[1] for w in windows.values()))
    earlier = defaultdict(list)
    for start in range(0, len(households), CHUNK):
        for aid in Aid.objects.filter(
            participant__kk_number__in=households[start : start + CHUNK],
            kind_id__in=kinds,
            received_on__range=span,
        ).select_related("participant", "kind"):
            earlier[(aid.participant.kk_number, aid.kind_id)].append(
                services.EarlierAid(
                    aid.received_on, aid.kind.name, aid.source, aid.participant.full_name, aid.value
                )
            )
    capital = {p.kk_number for _n, p, v in parsed if v["kind"].is_business_capital}
    for kk in capital:
        kind = next(v["kind"] for _n, p, v in parsed if p.kk_number == kk)
        for member, first, total, program in services.grant_aid_for_household(kk):
            earlier[(kk, kind.pk)].append(
                services.EarlierAid(first, kind.name, program, member.participant.full_name, total)
            )
    found = {}
    for number, person, values in parsed:
        start, end = windows[number]
        matches = [
            e
            for e in earlier.get((person.kk_number, values["kind"].pk), [])
            if start <= e.received_on <= end
        ]
        if matches:
            found[number] = "; ".join(str(e) for e in sorted(matches, key=lambda e: e.received_on))
    return found


def _doubles_in_file(parsed) -> dict:
    """Rows repeating an earlier row of the same file: same household, kind, within the period."""
    found, seen = {}, {}
    for number, person, values in parsed:
        kind = values["kind"]
        start, end = services.aid_window(kind, values["received_on"])
        for other_number, other_day in seen.get((person.kk_number, kind.pk), []):
            if start <= other_day <= end:
                found[number] = _("row %(row)d of this file") % {"row": other_number}
                break
        seen.setdefault((person.kk_number, kind.pk), []).append((number, values["received_on"]))
    return found


def run_aid_import(uploaded, *, user, dry_run: bool) -> AidImportResult:
    """Check every row; write them all (or, in a dry run, nothing) if every row is right."""
    if user is None or not user.has_perm("families.add_aid"):
        raise PermissionDenied(_("You may not record aid."))
    table = read_table(uploaded, AID_TABLE)
    result = AidImportResult(sheet=table.sheet)
    errors = _Errors()
    kinds = {header_key(k.name): k for k in AidKind.objects.filter(is_active=True)}
    rows = []
    for sheet_row in data_rows(table):
        raw = {
            name: sheet_row.values[index] if index < len(sheet_row.values) else None
            for index, name in table.columns.items()
        }
        formulas = [(i, f) for i, f in sorted(sheet_row.formulas.items()) if i in table.columns]
        for index, formula in formulas:
            errors.add(
                sheet_row.number,
                table.columns[index],
                formula,
                _("Cell %(cell)s holds a formula, not a value. Put the value itself in the cell.")
                % {"cell": cell_name(sheet_row.number, index)},
            )
        if formulas:
            continue
        parsed = _parse(sheet_row.number, raw, kinds, errors)
        if parsed is not None:
            rows.append((sheet_row.number, raw, *parsed))
    result.rows = len(rows) + len({e.row for e in errors})
    if result.rows == 0:
        raise ImportRefused(
            _("Below the header row (row %(row)d) there is no aid. Fill in the list first.")
            % {"row": table.header_row}
        )
    niks = sorted({r[2] for r in rows})
    people = {}
    for start in range(0, len(niks), CHUNK):
        people.update(
            (p.nik, p) for p in Participant.objects.filter(nik__in=niks[start : start + CHUNK])
        )
    parsed = []
    for number, raw, nik, values in rows:
        person = people.get(nik)
        if person is None:
            errors.add(
                number,
                "nik",
                mask(nik),
                _("No participant with this NIK is registered. Register the person first."),
            )
            continue
        name = cells.text(raw.get("full_name"))
        if name and header_key(name) != header_key(person.full_name):
            errors.add(
                number,
                "full_name",
                name,
                _("This NIK is registered as %(name)s. Check the NIK and the name.")
                % {"name": person.full_name},
            )
            continue
        parsed.append((number, person, values))
    doubles = {**_doubles_in_register(parsed), **_doubles_in_file(parsed)}
    with transaction.atomic():
        to_create = []
        for number, person, values in parsed:
            aid = Aid(participant=person, created_by=user, **values)
            aid.possible_double = number in doubles
            try:
                services.aid_check(aid)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        errors.add(number, name, values.get(name), message)
                continue
            to_create.append(aid)
            if len(result.preview) < PREVIEW_ROWS or number in doubles:
                result.preview.append(AidPreviewRow(number, person, aid, doubles.get(number, "")))
        result.errors = sorted(errors, key=lambda e: (e.row, e.column))
        if not result.errors:
            Aid.objects.bulk_create(to_create, batch_size=1000)
            result.created = len(to_create)
            result.doubles = sum(1 for aid in to_create if aid.possible_double)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result
