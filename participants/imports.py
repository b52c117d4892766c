"""Participant lists coming back from Excel or LibreOffice: read, check every row, then write all.

The importer reads what real clerks make (a title above the header, a "No" column, merged title
cells, a second sheet, a million empty rows declared by LibreOffice, `;` separated CSV), refuses
what Excel broke (a NIK stored as a number, shown as 1.87201E+15, ending in .0), validates every row
with the model's own validators and the group services, and writes nothing unless every row is
right. The dry run takes exactly the same path and rolls it back.
"""

import csv
import datetime
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from participants import services
from participants.exports import PARTICIPANT_COLUMNS
from participants.identity import mask, normalize_identity_number
from participants.models import Kelurahan, Participant, ParticipantGroup, Program
from participants.regions import region_name_key

MAX_EMPTY_ROWS = 50  # after this many empty rows the sheet has ended, whatever it declares
HEADER_SEARCH_ROWS = 20

# header (as normalised by _key) -> field
COLUMNS = {
    "nik": "nik",
    "nokk": "kk_number",
    "nomorkk": "kk_number",
    "kk": "kk_number",
    "namalengkap": "full_name",
    "nama": "full_name",
    "lp": "sex",
    "jeniskelamin": "sex",
    "tempatlahir": "birth_place",
    "tanggallahir": "birth_date",
    "alamat": "address",
    "rt": "rt",
    "rw": "rw",
    "kelurahan": "kelurahan",
    "nohp": "phone",
    "telepon": "phone",
    "pekerjaan": "occupation",
    "penghasilanperbulan": "monthly_income",
    "jumlahanggotakeluarga": "household_size",
    "statusdtks": "dtks_status",
    "tanggalpersetujuandata": "consent_date",
    "program": "program",
    "kelompok": "group",
    "jabatan": "role",
}
REQUIRED = ("nik", "kk_number", "full_name", "sex", "birth_place", "birth_date", "address", "rt",
            "rw", "kelurahan")  # fmt: skip
HEADER_LABELS = {
    "nik": "NIK",
    "kk_number": "No. KK",
    "full_name": "Nama Lengkap",
    "sex": "L/P",
    "birth_place": "Tempat Lahir",
    "birth_date": "Tanggal Lahir",
    "address": "Alamat",
    "rt": "RT",
    "rw": "RW",
    "kelurahan": "Kelurahan",
    "phone": "No. HP",
    "occupation": "Pekerjaan",
    "monthly_income": "Penghasilan per Bulan",
    "household_size": "Jumlah Anggota Keluarga",
    "dtks_status": "Status DTKS",
    "consent_date": "Tanggal Persetujuan Data",
    "program": "Program",
    "group": "Kelompok",
    "role": "Jabatan",
}
SEX = {"l": "L", "lakilaki": "L", "p": "P", "perempuan": "P"}
ROLES = {
    "ketua": "ketua",
    "sekretaris": "sekretaris",
    "bendahara": "bendahara",
    "anggota": "anggota",
}
DTKS = {"terdaftar": "terdaftar", "tidakterdaftar": "tidak_terdaftar", "belumdicek": "belum_dicek"}
PERSON_FIELDS = ("kk_number", "full_name", "sex", "birth_place", "birth_date", "address", "rt",
                 "rw", "kelurahan_id", "phone", "occupation", "monthly_income", "household_size",
                 "dtks_status", "consent_given", "consent_date")  # fmt: skip
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")
_NOISE = re.compile(r"[^a-z0-9]")


def _key(text) -> str:
    return _NOISE.sub("", str(text or "").lower())


@dataclass(frozen=True)
class RowError:
    row: int  # as the user sees it in the spreadsheet (1 = first row)
    column: str
    value: str
    message: str

    def __str__(self):
        where = f"Baris {self.row}" + (f", kolom {self.column}" if self.column else "")
        value = f" (isi: {self.value})" if self.value else ""
        return f"{where}{value}: {self.message}"


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


# The preview lists the first new people and every changed one (up to a limit), each change as
# field: old → new, so that the clerk sees what an update would overwrite before confirming.
PREVIEW_NEW_ROWS, PREVIEW_ROWS = 10, 200


@dataclass(frozen=True)
class PreviewRow:
    number: int
    person: Participant
    kind: str  # "baru" or "ubah"
    changes: list = field(default_factory=list)  # [(label, old, new)]


def field_label(name: str) -> str:
    return capfirst(Participant._meta.get_field(name.removesuffix("_id")).verbose_name)


def shown_value(name: str, value, kelurahan_names: dict) -> str:
    """A stored value as the preview shows it: the kelurahan's name, day-first dates, Ya/Tidak."""
    if value is None or value == "":
        return "–"
    if name == "kelurahan_id":
        return kelurahan_names.get(value, "–")
    if name == "kk_number":
        return mask(value)
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    field_ = Participant._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    return str(value)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)
    sheet: str = ""
    preview: list = field(default_factory=list)  # the first rows, as they would be stored

    @property
    def ok(self) -> bool:
        return not self.errors


# Reading ------------------------------------------------------------------------------------


def _sheets(uploaded):
    """Yield (sheet name, rows) of an XLSX or CSV upload; each row is (row number, values)."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    name = (getattr(uploaded, "name", "") or "").lower()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            "Berkas ini format Excel lama (.xls). Buka di Excel atau LibreOffice, simpan sebagai "
            "'Excel Workbook (.xlsx)', lalu unggah lagi."
        )
    if head.startswith(b"PK"):
        try:
            workbook = load_workbook(uploaded, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportRefused(
                "Berkas .xlsx ini rusak dan tidak dapat dibaca. Buka di Excel atau LibreOffice, "
                "simpan ulang sebagai .xlsx, lalu unggah lagi."
            ) from exc
        for ws in workbook.worksheets:
            yield ws.title, enumerate(ws.iter_rows(values_only=True), start=1)
        return
    if name.endswith(".csv") or name.endswith(".txt"):
        raw = uploaded.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        yield "CSV", enumerate((tuple(row) for row in reader), start=1)
        return
    raise ImportRefused(
        "Berkas ini bukan berkas Excel (.xlsx) atau CSV. Unggah daftar peserta dalam format .xlsx "
        "(disarankan: unduh templatnya) atau .csv."
    )


def _find_table(uploaded):
    """Return (sheet name, column index -> field, header row number, data rows iterator)."""
    seen_any = False
    for sheet_name, rows in _sheets(uploaded):
        for number, values in rows:
            if number > HEADER_SEARCH_ROWS:
                break
            if not values or all(v in (None, "") for v in values):
                continue
            seen_any = True
            keys = [_key(v) for v in values]
            if "nik" in keys:
                columns = {i: COLUMNS[k] for i, k in enumerate(keys) if k in COLUMNS}
                missing = [HEADER_LABELS[f] for f in REQUIRED if f not in columns.values()]
                if missing:
                    raise ImportRefused(
                        f"Kolom wajib tidak ditemukan di baris judul (baris {number}, lembar "
                        f"'{sheet_name}'): {', '.join(missing)}. Pakai templat dari halaman impor."
                    )
                return sheet_name, columns, number, rows
    if not seen_any:
        raise ImportRefused("Berkas ini kosong: tidak ada data di lembar mana pun.")
    raise ImportRefused(
        "Baris judul kolom (yang memuat 'NIK', 'Nama Lengkap', ...) tidak ditemukan di 20 baris "
        "pertama. Pakai templat dari halaman impor."
    )


def _data_rows(rows):
    """Yield non-empty rows; stop after MAX_EMPTY_ROWS empty ones (the sheet has ended)."""
    empty = 0
    for number, values in rows:
        if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            empty += 1
            if empty >= MAX_EMPTY_ROWS:
                return
            continue
        empty = 0
        yield number, values


# Cleaning one row -----------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Our own exports disarm formulas with a leading quote; take it off again on the way back.
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def _identity(value, label):
    """Return the 16 digits of a NIK/KK cell, or the message saying how Excel damaged it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = f"{float(value):.5E}"  # as Excel shows a 16-digit number
        return None, (
            f"{label} tersimpan sebagai angka ({shown}); Excel menyimpan angka hanya 15 digit "
            f"sehingga digit terakhir {label} bisa hilang. Format kolom {label} sebagai Teks, "
            f"lalu ketik ulang {label} dari kartunya."
        )
    text = _text(value)
    if _SCIENTIFIC.match(text):
        return None, (
            f"{label} tertulis {text}: Excel sudah mengubahnya menjadi angka dan digit terakhirnya "
            f"hilang. Format kolom {label} sebagai Teks, lalu ketik ulang {label} dari kartunya."
        )
    if text.endswith(".0") and text[:-2].isdigit():
        return None, (
            f"{label} berakhiran .0: kolom ini pernah tersimpan sebagai angka. Format kolom "
            f"{label} sebagai Teks, lalu ketik ulang {label} dari kartunya."
        )
    if "*" in text:
        return None, (
            f"{label} disamarkan (berisi *). Impor hanya dari daftar dengan {label} lengkap."
        )
    return normalize_identity_number(text), None


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("Tanggal tidak dikenali; tulis sebagai HH/BB/TTTT, misalnya 17/08/1985.")


def _money(value):
    if value in (None, ""):
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(value).quantize(Decimal(1))
    digits = re.sub(r"[^\d]", "", str(value))
    if not digits:
        raise ValueError("Isi angka rupiah, misalnya 750000.")
    return Decimal(digits)


def _whole(value):
    if value in (None, ""):
        return None
    try:
        return int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("Isi angka bulat.") from exc


@dataclass
class _Row:
    number: int
    values: dict
    raw: dict


def _read_row(number, values, columns):
    raw = {
        field_name: values[index] if index < len(values) else None
        for index, field_name in columns.items()
    }
    return _Row(number=number, values={}, raw=raw)


# Planning and applying ------------------------------------------------------------------------


class _Collector:
    def __init__(self):
        self.errors = []

    def add(self, row, field_name, value, message):
        self.errors.append(
            RowError(
                row=row,
                column=HEADER_LABELS.get(field_name, ""),
                value="" if value is None else str(value)[:60],
                message=str(message),
            )
        )


def _clean_person(row: _Row, kelurahan_by_key, errors: _Collector):
    """Turn one spreadsheet row into participant field values, reporting each problem."""
    raw, values, ok = row.raw, {}, True

    for field_name, label in (("nik", "NIK"), ("kk_number", "No. KK")):
        number, problem = _identity(raw.get(field_name), label)
        if problem:
            errors.add(row.number, field_name, raw.get(field_name), problem)
            ok = False
        values[field_name] = number or ""

    for field_name in ("full_name", "birth_place", "address", "rt", "rw", "phone", "occupation"):
        values[field_name] = _text(raw.get(field_name))

    sex = SEX.get(_key(raw.get("sex")))
    if sex is None:
        errors.add(row.number, "sex", raw.get("sex"), "Isi L (laki-laki) atau P (perempuan).")
        ok = False
    values["sex"] = sex or ""

    kelurahan = kelurahan_by_key.get(region_name_key(_text(raw.get("kelurahan"))))
    if kelurahan is None:
        errors.add(
            row.number,
            "kelurahan",
            raw.get("kelurahan"),
            "Kelurahan ini tidak dikenal di Kota Metro. Periksa ejaannya (mis. Hadimulyo Barat).",
        )
        ok = False
    values["kelurahan_id"] = kelurahan.pk if kelurahan else None

    for field_name, parse in (
        ("birth_date", _date),
        ("consent_date", _date),
        ("monthly_income", _money),
        ("household_size", _whole),
    ):
        try:
            values[field_name] = parse(raw.get(field_name))
        except ValueError as exc:
            errors.add(row.number, field_name, raw.get(field_name), exc)
            values[field_name] = None
            ok = False
    if values["household_size"] is None:
        values["household_size"] = 1
    values["consent_given"] = values["consent_date"] is not None

    dtks = raw.get("dtks_status")
    values["dtks_status"] = DTKS.get(_key(dtks), "belum_dicek") if dtks else "belum_dicek"
    if dtks and _key(dtks) not in DTKS:
        errors.add(
            row.number, "dtks_status", dtks, "Isi Terdaftar, Tidak terdaftar atau Belum dicek."
        )
        ok = False
    return values if ok else None


def _validate_participant(instance, row, errors: _Collector):
    """The model's own checks, the same the forms and the admin run (no database needed)."""
    try:
        # Kelurahan and users are looked up once for the whole file, not once per row; NIK
        # uniqueness is settled by matching on NIK; the consent rule is in clean().
        instance.full_clean(
            exclude=["kelurahan", "created_by", "updated_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            label_field = "kelurahan" if field_name == "kelurahan" else field_name
            value = getattr(instance, field_name, "") if field_name != "__all__" else ""
            for message in messages:
                errors.add(row.number, label_field, value, message)
        return False
    return True


def _plan_memberships(rows, people_by_nik, errors: _Collector):
    """Group the rows that name a group; return {group: [(row number, participant, role)]}."""
    wanted = [r for r in rows if _text(r.raw.get("group"))]
    if not wanted:
        return {}
    programs = {_key(p.name): p for p in Program.objects.all()}
    active = [p for p in programs.values() if p.is_active]
    groups = {
        (g.program_id, g.kelurahan_id, _key(g.name)): g
        for g in ParticipantGroup.objects.select_related("program", "kelurahan")
    }
    plan = defaultdict(list)
    for row in wanted:
        person = people_by_nik.get(row.values.get("nik"))
        if person is None:
            continue
        program_name = _text(row.raw.get("program"))
        program = (
            programs.get(_key(program_name))
            if program_name
            else (active[0] if len(active) == 1 else None)
        )
        if program is None:
            errors.add(
                row.number,
                "program",
                program_name,
                "Program tidak ditemukan. Tulis nama program persis seperti di aplikasi.",
            )
            continue
        group = groups.get((program.pk, person.kelurahan_id, _key(row.raw.get("group"))))
        if group is None:
            errors.add(
                row.number,
                "group",
                row.raw.get("group"),
                "Kelompok ini tidak ada di kelurahan peserta untuk program tersebut. Buat "
                "kelompoknya dulu di aplikasi, atau periksa ejaan dan kelurahannya.",
            )
            continue
        role = ROLES.get(_key(row.raw.get("role")) or "anggota")
        if role is None:
            errors.add(
                row.number,
                "role",
                row.raw.get("role"),
                "Isi Ketua, Sekretaris, Bendahara atau Anggota.",
            )
            continue
        plan[group].append((row.number, person, role))
    return plan


def _apply_memberships(plan, errors: _Collector):
    total = 0
    for group, entries in plan.items():
        current = {m.participant_id: m for m in group.memberships.all()}
        additions, changes = [], []
        for _number, person, role in entries:
            membership = current.get(person.pk)
            if membership is None:
                additions.append(services.MemberAddition(person, role))
            elif membership.role != role:
                changes.append(services.MemberChange(membership, role))
        if not additions and not changes:
            continue
        try:
            created = services.group_roster_update(group=group, add=additions, change=changes)
        except ValidationError as error:
            first_row = entries[0][0]
            for message in error.messages:
                errors.add(first_row, "group", group.name, message)
            continue
        total += len(created) + len(changes)
    return total


def run_import(uploaded, *, user, dry_run: bool) -> ImportResult:
    """Check every row of the upload; write it all (or, in a dry run, nothing) if all is right."""
    sheet_name, columns, header_row, rows = _find_table(uploaded)
    result = ImportResult(sheet=sheet_name)
    errors = _Collector()
    kelurahan_by_key = {k.name_key: k for k in Kelurahan.objects.all()}

    parsed = []
    first_row_of_nik = {}
    for number, values in _data_rows(rows):
        row = _read_row(number, values, columns)
        cleaned = _clean_person(row, kelurahan_by_key, errors)
        if cleaned is None:
            continue
        row.values = cleaned
        nik = cleaned["nik"]
        if nik in first_row_of_nik:
            errors.add(
                number,
                "nik",
                nik,
                f"NIK ini sudah ada di baris {first_row_of_nik[nik]} berkas yang sama. Satu orang "
                "cukup satu baris.",
            )
            continue
        first_row_of_nik[nik] = number
        parsed.append(row)
    result.rows = len(parsed) + len({e.row for e in errors.errors})
    if result.rows == 0 and not errors.errors:
        raise ImportRefused(
            f"Di bawah baris judul (baris {header_row}) tidak ada data peserta. Isi daftarnya dulu."
        )

    existing = {p.nik: p for p in Participant.objects.filter(nik__in=list(first_row_of_nik))}
    now = timezone.now()
    to_create, to_update, people_by_nik = [], [], {}
    for row in parsed:
        values = row.values
        person = existing.get(values["nik"])
        if person is None:
            person = Participant(**values, created_by=user, updated_by=user)
            if _validate_participant(person, row, errors):
                to_create.append(person)
        else:
            changed = [f for f in PERSON_FIELDS if getattr(person, f) != values[f]]
            before = {name: getattr(person, name) for name in changed}
            for name in changed:
                setattr(person, name, values[name])
            if _validate_participant(person, row, errors):
                if changed:
                    person.updated_by, person.updated_at = user, now
                    to_update.append((person, changed))
                else:
                    result.unchanged += 1
        people_by_nik[values["nik"]] = person
        if person.pk is None:
            if sum(1 for entry in result.preview if entry.kind == "baru") < PREVIEW_NEW_ROWS:
                result.preview.append(PreviewRow(row.number, person, "baru"))
        elif changed and len(result.preview) < PREVIEW_ROWS:
            names = {k.pk: k.name for k in kelurahan_by_key.values()}
            changes = [
                (
                    field_label(name),
                    *(shown_value(name, v, names) for v in (before[name], values[name])),
                )
                for name in changed
            ]
            result.preview.append(PreviewRow(row.number, person, "ubah", changes))
    result.preview.sort(key=lambda entry: entry.number)

    with transaction.atomic():
        if not errors.errors:
            # Every created or changed person gets a history record, with who and why.
            reason = _("Excel import")
            bulk_create_with_history(
                to_create, Participant, batch_size=1000, default_user=user,
                default_change_reason=reason,
            )  # fmt: skip
            fields = sorted(
                {f for _p, changed in to_update for f in changed} | {"updated_by", "updated_at"}
            )
            if to_update:
                bulk_update_with_history(
                    [p for p, _c in to_update], Participant, fields, batch_size=1000,
                    default_user=user, default_change_reason=reason,
                )  # fmt: skip
            membership_plan = _plan_memberships(parsed, people_by_nik, errors)
            if not errors.errors:
                result.memberships = _apply_memberships(membership_plan, errors)
        result.created, result.updated = len(to_create), len(to_update)
        result.errors = sorted(errors.errors, key=lambda e: (e.row, e.column))
        if dry_run or result.errors:
            # Any error, or only a rehearsal: nothing stays written.
            transaction.set_rollback(True)
    return result


# Templates and uploads kept between the preview and the confirmation -----------------------------


def template_workbook() -> bytes:
    """Return the import template: the export's layout, identity columns formatted as text."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Peserta"
    ws["A1"] = "Daftar Peserta – templat impor"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Isi mulai baris 5. Jangan mengubah baris judul kolom (baris 4)."
    for index, column in enumerate(PARTICIPANT_COLUMNS, start=1):
        cell = ws.cell(row=4, column=index, value=column.header)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        ws.column_dimensions[letter].width = column.width
        if column.header in ("NIK", "No. KK", "RT", "RW", "No. HP"):
            # Text, so that a typed 16-digit NIK keeps all its digits.
            for row in range(5, 1005):
                ws.cell(row=row, column=index).number_format = "@"
    ws.freeze_panes = "A5"
    help_sheet = workbook.create_sheet("Petunjuk")
    for line in (
        "Petunjuk pengisian daftar peserta",
        "1. Satu baris satu orang. NIK dan No. KK 16 digit, ditulis sebagai teks (kolomnya sudah "
        "berformat Teks; jangan diubah menjadi Angka).",
        "2. L/P diisi L atau P. Tanggal ditulis HH/BB/TTTT, misalnya 17/08/1985.",
        "3. Kelurahan ditulis namanya, misalnya Hadimulyo Barat (besar kecil huruf dan spasi tidak "
        "berpengaruh).",
        "4. Program, Kelompok dan Jabatan (Ketua, Sekretaris, Bendahara, Anggota) boleh "
        "dikosongkan; bila diisi, kelompoknya harus sudah ada di aplikasi.",
        "5. Peserta dengan NIK yang sudah terdaftar akan diperbarui datanya; NIK baru didaftarkan.",
        "6. Bila ada satu baris saja yang salah, tidak ada data yang disimpan: perbaiki lalu "
        "unggah lagi.",
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
