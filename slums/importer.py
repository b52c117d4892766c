"""The slum working group's (Pokja PKP) survey sheet, one RT a row: read with the same reading and
the same safety as the other lists (preview first, every problem by row and column, all rows or
none). The sub-criteria's columns are named by their codes (1a … 7b) as kept in admin; a column
"1a (%)" beside one, where the sheet has it, must agree with the count and the total.

Each row becomes a survey submitted for review, with the surveyor's name as written; its scores
are computed here, never read from the sheet.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metro_slum.spreadsheets import DATE, NUMBER, cells
from metro_slum.spreadsheets.errors import ErrorListing, RowErrors
from metro_slum.spreadsheets.layout import ListColumn, TableLayout
from metro_slum.spreadsheets.reading import ImportRefused, data_rows, read_table
from metro_slum.spreadsheets.template import empty_list, workbook_bytes
from participants.models import RT, Kelurahan, neighbourhood_code
from slums import scoring, services
from slums.models import Answer, SubCriterion, Survey

# A share written in the sheet may differ from the one computed by this much (rounding).
SHARE_TOLERANCE = Decimal("1")

FIXED = (
    ListColumn("Kode Kelurahan", 14, field="kelurahan", aliases=("Kelurahan", "Kode Kel"),
               required=True, typed_as_text=True),
    ListColumn("RW", 6, field="rw", required=True, typed_as_text=True),
    ListColumn("RT", 6, field="rt", required=True, typed_as_text=True),
    ListColumn("Tanggal Survei", 14, DATE, field="surveyed_on", aliases=("Tanggal",),
               required=True),
    ListColumn("Surveyor", 22, field="surveyor", aliases=("Petugas", "Enumerator"),
               required=True),
    ListColumn("Jumlah KK", 10, NUMBER, field="households", aliases=("KK", "Jumlah Rumah Tangga"),
               required=True),
    ListColumn("Jumlah Bangunan", 10, NUMBER, field="buildings", aliases=("Bangunan",),
               required=True),
    ListColumn("Luas (ha)", 10, NUMBER, field="area_ha", aliases=("Luas", "Luas Wilayah (ha)"),
               required=True),
    ListColumn("Panjang Jalan (m)", 12, NUMBER, field="road_length_m",
               aliases=("Panjang Jalan Lingkungan (m)",), required=True),
    ListColumn("Panjang Drainase (m)", 12, NUMBER, field="drainage_length_m",
               aliases=("Panjang Saluran (m)",), required=True),
    ListColumn("Panjang Jalan Ideal (m)", 12, NUMBER, field="road_ideal_length_m",
               aliases=("Panjang Jalan Lingkungan Ideal (m)",), required=True),
    ListColumn("Panjang Drainase Ideal (m)", 12, NUMBER, field="drainage_ideal_length_m",
               aliases=("Panjang Saluran Ideal (m)",), required=True),
)  # fmt: skip
TOTALS = services.TOTAL_FIELDS
PREVIEW_ROWS = 200

INSTRUCTIONS = (
    "Petunjuk pengisian lembar survei kumuh (satu baris satu RT)",
    "1. Kode Kelurahan 10 digit; RW dan RT sebagai angka (001 atau 1). RT harus sudah terdaftar.",
    "2. Tanggal survei HH/BB/TTTT, tidak di masa depan, dan sesudah survei awal (baseline) RT itu.",
    "3. Jumlah KK, bangunan, luas (ha), panjang jalan dan drainase (m): total RT saat survei; "
    "panjang ideal: jaringan yang semestinya ada (yang ada dan yang belum).",
    "4. Kolom 1a … 7b: jumlah yang terdampak (KK, bangunan, ha atau meter, sesuai kriteria), "
    "tidak lebih dari total RT. Persentase dan nilai dihitung oleh sistem.",
    "5. Kolom persen (mis. '1a (%)') boleh diisi; bila diisi harus sesuai jumlah dan total.",
    "6. Bila ada satu baris saja yang salah, tidak ada data yang disimpan: perbaiki lalu "
    "unggah lagi.",
)


def columns():
    """The sheet's columns: the fixed ones, then per sub-criterion its count and its share."""
    subs = list(SubCriterion.objects.order_by("code"))
    listed = list(FIXED)
    for sub in subs:
        listed.append(ListColumn(f"{sub.code} {sub.name}", 12, NUMBER, field=f"sub:{sub.code}",
                                 aliases=(sub.code,), required=True))  # fmt: skip
        listed.append(ListColumn(f"{sub.code} (%)", 8, NUMBER, field=f"pct:{sub.code}"))
    return listed, subs


def survey_template() -> bytes:
    listed, _subs = columns()
    workbook = empty_list(
        "Survei Kualitas Permukiman Kumuh per RT – templat impor", "Survei", listed, INSTRUCTIONS
    )
    return workbook_bytes(workbook)


@dataclass(frozen=True)
class PreviewRow:
    number: int
    rt: RT
    survey: Survey
    score: int
    class_label: str


@dataclass
class SurveyImportResult(ErrorListing):
    created: int = 0
    rows: int = 0
    sheet: str = ""
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    error_rows: dict = field(default_factory=dict)


def _places():
    found = {}
    for rt in RT.objects.select_related("rw__kelurahan"):
        found[(rt.rw.kelurahan.code, rt.rw.code, rt.code)] = rt
    return found


def _count(raw, name, errors, number):
    value = raw.get(name)
    if value in (None, ""):
        return None
    try:
        return services.parse_count(value)
    except ValueError as error:
        errors.add(number, name, value, error)
        return False


def run_survey_import(uploaded, *, user, dry_run: bool) -> SurveyImportResult:
    """Check every row; write them all (or, in a dry run, nothing) if every row is right."""
    if user is None or not user.has_perm("slums.add_survey"):
        raise PermissionDenied(_("You may not enter slum surveys."))
    listed, subs = columns()
    layout = TableLayout.of(listed)
    table = read_table(uploaded, layout)
    result = SurveyImportResult(sheet=table.sheet, headers=table.headers)
    errors = RowErrors(layout.labels)
    places = _places()
    known_kelurahan = set(Kelurahan.objects.values_list("code", flat=True))
    rule = scoring.Rule.in_force()
    parsed, written, seen = [], {}, {}
    for sheet_row in data_rows(table):
        number = sheet_row.number
        written[number] = sheet_row.values
        raw = {
            name: sheet_row.values[index] if index < len(sheet_row.values) else None
            for index, name in table.columns.items()
        }
        if errors.formulas(sheet_row, table.columns):
            continue
        before = len(errors)
        code = cells.text(raw.get("kelurahan"))
        if code not in known_kelurahan:
            errors.add(number, "kelurahan", code, _("Write the kelurahan's 10-digit code."))
            continue
        try:
            key = (code, neighbourhood_code(cells.text(raw.get("rw"))),
                   neighbourhood_code(cells.text(raw.get("rt"))))  # fmt: skip
        except ValueError as error:
            errors.add(number, "rt", raw.get("rt"), error)
            continue
        rt = places.get(key)
        if rt is None:
            errors.add(number, "rt", f"RT {key[2]}/RW {key[1]}",
                       _("This RT is not an RT of the kelurahan. Add it in admin first, or "
                         "correct the code."))  # fmt: skip
            continue
        if rt.pk in seen:
            errors.add(
                number,
                "rt",
                rt.label,
                _("This RT is already in row %(row)d of this file.") % {"row": seen[rt.pk]},
            )
            continue
        seen[rt.pk] = number
        try:
            surveyed_on = cells.date(raw.get("surveyed_on"))
        except ValueError as error:
            errors.add(number, "surveyed_on", raw.get("surveyed_on"), error)
            surveyed_on = None
        totals = {name: _count(raw, name, errors, number) for name in TOTALS}
        counts = {sub.code: _count(raw, f"sub:{sub.code}", errors, number) for sub in subs}
        if len(errors) > before:
            continue
        missing = [name for name, value in {**totals, **counts}.items() if value is None]
        for name in missing:
            field_name = name if name in TOTALS else f"sub:{name}"
            errors.add(number, field_name, "", _("Fill in this count (0 if none)."))
        if missing or surveyed_on is None:
            if surveyed_on is None and not missing:
                errors.add(number, "surveyed_on", "", _("Write the survey date."))
            continue
        survey = Survey(
            rt=rt,
            surveyed_on=surveyed_on,
            surveyor=cells.text(raw.get("surveyor"))[:150],
            created_by=user,
            status=Survey.Status.SUBMITTED,
            submitted_at=timezone.now(),
            **{name: int(value) if name != "area_ha" else value for name, value in totals.items()},
        )
        try:
            survey.full_clean(exclude=["created_by", "reviewed_by", "rt"])
            services.check_survey(survey)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    errors.add(number, name if name in layout.labels else "surveyed_on",
                               raw.get(name), message)  # fmt: skip
            continue
        answers = {}
        for sub in subs:
            affected = counts[sub.code]
            try:
                services.check_answer(survey, sub, affected)
            except ValidationError as error:
                errors.add(number, f"sub:{sub.code}", raw.get(f"sub:{sub.code}"),
                           error.message_dict["affected"][0])  # fmt: skip
                continue
            written_share = raw.get(f"pct:{sub.code}")
            if written_share not in (None, ""):
                computed = scoring.share(affected, survey.total(sub.basis), 2) or Decimal(0)
                try:
                    typed = services.parse_count(written_share)
                except ValueError as error:
                    errors.add(number, f"pct:{sub.code}", written_share, error)
                    continue
                if abs(typed - computed) > SHARE_TOLERANCE:
                    errors.add(number, f"pct:{sub.code}", written_share,
                               _("The share does not add up: %(affected)s of %(total)s is "
                                 "%(share)s %%. Check the count, the total or the share.")
                               % {"affected": affected, "total": survey.total(sub.basis),
                                  "share": computed})  # fmt: skip
                    continue
            answers[sub.pk] = Answer(sub=sub, affected=affected, counted_as=sub.basis)
        if len(answers) == len(subs):
            parsed.append((number, rt, survey, answers))
    result.rows = len(parsed) + len({e.row for e in errors.in_order()})
    if result.rows == 0:
        raise ImportRefused(
            _("Below the header row (row %(row)d) there is no RT. Fill in the sheet first.")
            % {"row": table.header_row}
        )
    result.errors = errors.in_order()
    with transaction.atomic():
        if not result.errors:
            for number, rt, survey, answers in parsed:
                survey.is_baseline = services.baseline_of(rt) is None
                outcome = scoring.score(survey, answers, subs, rule)
                survey.score, survey.slum_class, survey.scored_with = (
                    outcome.score,
                    outcome.slum_class,
                    rule.label,
                )
                survey.save()
                for answer in answers.values():
                    answer.survey = survey
                Answer.objects.bulk_create(answers.values())
                services.remember_totals(rt, survey)
                if len(result.preview) < PREVIEW_ROWS:
                    result.preview.append(
                        PreviewRow(
                            number, rt, survey, outcome.score, rule.class_label(outcome.slum_class)
                        )  # fmt: skip
                    )
            result.created = len(parsed)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result.finish(table, written, dry_run=dry_run)
