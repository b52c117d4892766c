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
from metro_slum.spreadsheets import DATE, MONEY, NUMBER, cells
from metro_slum.spreadsheets.errors import ErrorListing, RowErrors
from metro_slum.spreadsheets.layout import ListColumn, TableLayout, header_key
from metro_slum.spreadsheets.reading import (
    ImportRefused,
    data_rows,
    read_table,
)
from participants.identity import mask
from participants.models import Participant

__all__ = ["AID_HEADERS", "AID_LIST", "AidImportResult", "ImportRefused", "run_aid_import"]

# The aid list's columns, in the template's order; the importer finds them by header or alias.
AID_LIST = (
    ListColumn("NIK", 19, field="nik", aliases=("NIK Penerima",), required=True,
               typed_as_text=True),
    ListColumn("Nama", 26, field="full_name", aliases=("Nama Lengkap", "Nama Penerima")),
    ListColumn("Jenis Bantuan", 26, field="kind", aliases=("Jenis",), required=True),
    ListColumn("Sumber", 28, field="source", aliases=("Sumber Bantuan", "Instansi", "Program"),
               required=True),
    ListColumn("Tanggal Terima", 14, DATE, field="received_on", aliases=("Tanggal",),
               required=True),
    ListColumn("Nilai (Rp)", 14, MONEY, field="value", aliases=("Nilai", "Nominal")),
    ListColumn("Jumlah", 14, NUMBER, field="quantity", aliases=("Banyaknya",)),
    ListColumn("Keterangan", 30, field="note", aliases=("Catatan",)),
)  # fmt: skip
AID_TABLE = TableLayout.of(AID_LIST)
AID_HEADERS = AID_TABLE.labels
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
    headers: list = field(default_factory=list)  # the file's header cells
    error_rows: dict = field(default_factory=dict)  # row number -> the row's cells, as written


def _kind_hint(kinds) -> str:
    return _("Write one of the office's kinds of aid: %(kinds)s.") % {
        "kinds": ", ".join(sorted({k.name for k in kinds.values()}))
    }


def _parse(number, raw, kinds, errors: RowErrors):
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
    result = AidImportResult(sheet=table.sheet, headers=table.headers)
    errors = RowErrors(AID_HEADERS)
    kinds = {header_key(k.name): k for k in AidKind.objects.filter(is_active=True)}
    rows, written = [], {}
    for sheet_row in data_rows(table):
        written[sheet_row.number] = sheet_row.values
        raw = {
            name: sheet_row.values[index] if index < len(sheet_row.values) else None
            for index, name in table.columns.items()
        }
        if errors.formulas(sheet_row, table.columns):
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
        result.errors = errors.in_order()
        if not result.errors:
            Aid.objects.bulk_create(to_create, batch_size=1000)
            result.created = len(to_create)
            result.doubles = sum(1 for aid in to_create if aid.possible_double)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result.finish(table, written, dry_run=dry_run)
