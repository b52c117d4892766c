"""The slum working group's survey sheet: real XLSX files, the same importer as the other lists
(preview, every problem by row and column, all rows or none)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from slums.importer import ImportRefused, run_survey_import, survey_template
from slums.models import Answer, Survey
from tests.slums.conftest import make_rt, survey_of

pytestmark = pytest.mark.django_db
CODES = ["1a", "1b", "1c", "2a", "2b", "3a", "3b", "4a", "4b", "4c", "5a", "5b", "6a", "6b", "7a",
         "7b"]  # fmt: skip


def sheet(rows, shares=None):
    """The office's own template, filled in: one RT a row."""
    workbook = load_workbook(io.BytesIO(survey_template()))
    ws = workbook["Survei"]
    headers = [cell.value for cell in ws[4]]
    for number, values in enumerate(rows, start=5):
        for header, value in values.items():
            column = next(i for i, h in enumerate(headers, 1) if h == header or
                          (h or "").startswith(f"{header} ") and "(%)" not in h)  # fmt: skip
            ws.cell(row=number, column=column, value=value)
        for code, share in (shares or {}).get(number - 5, {}).items():
            ws.cell(row=number, column=headers.index(f"{code} (%)") + 1, value=share)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("survei.xlsx", buffer.getvalue())


def row(rt, date="12/08/2025", **counts):
    values = {
        "Kode Kelurahan": rt.rw.kelurahan.code,
        "RW": rt.rw.code,
        "RT": str(int(rt.code)),  # "1" for RT 001: as clerks write it
        "Tanggal Survei": date,
        "Surveyor": "Tim Pokja PKP",
        "Jumlah KK": 40,
        "Jumlah Bangunan": 38,
        "Luas (ha)": 4,
        "Panjang Jalan (m)": 500,
        "Panjang Drainase (m)": 400,
        "Panjang Jalan Ideal (m)": 780,
        "Panjang Drainase Ideal (m)": 500,
    }
    return values | {code: counts.get(code, 0) for code in CODES}


def test_a_good_sheet_is_previewed_then_written_whole_with_its_scores(cast, hadimulyo_barat):
    one, two = make_rt(hadimulyo_barat, rt="001"), make_rt(hadimulyo_barat, rt="002")
    upload = sheet(
        [row(one, **{"3a": 32, "5a": 40}), row(two, **{"1a": 38})],
        shares={0: {"3a": 80}},
    )
    preview = run_survey_import(upload, user=cast.staff, dry_run=True)
    assert preview.ok and preview.created == 2
    assert [(p.rt, p.score) for p in preview.preview] == [(one, 10), (two, 5)]
    assert not Survey.objects.exists()
    done = run_survey_import(upload, user=cast.staff, dry_run=False)
    assert done.created == 2
    first = Survey.objects.get(rt=one)
    # 32/40 = 80 % → 5 and 40/40 → 5: 10, light? no: 10 < 16, not slum.
    assert (first.score, first.slum_class, first.status) == (10, "none", "submitted")
    assert first.is_baseline and Answer.objects.filter(survey=first).count() == 16


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(cast, hadimulyo_barat):
    one, two = make_rt(hadimulyo_barat, rt="001"), make_rt(hadimulyo_barat, rt="002")
    three = make_rt(hadimulyo_barat, rt="003")
    survey_of(three, cast.worker, {})  # its baseline: 12/08/2025
    unknown = row(one) | {"RT": "77"}
    upload = sheet(
        [
            row(one, **{"3a": 41}),  # more households affected than the RT has
            row(two, **{"3a": 10}),  # the share written says 50 %, the count makes 25 %
            unknown,
            row(three, date="01/08/2025"),  # before the RT's baseline
            row(two, date="01/01/2099"),  # in the future (and RT 002 twice)
        ],
        shares={1: {"3a": 50}},
    )
    result = run_survey_import(upload, user=cast.staff, dry_run=False)
    messages = [str(error) for error in result.errors]
    assert any(m.startswith("Baris 5, kolom 3a") and "41 lebih banyak dari 40" in m
               for m in messages)  # fmt: skip
    assert any(m.startswith("Baris 6, kolom 3a (%)") and "tidak sesuai" in m for m in messages)
    assert any(m.startswith("Baris 7, kolom RT") and "bukan RT" in m for m in messages)
    assert any(m.startswith("Baris 8") and "12/08/2025" in m for m in messages)
    assert any(m.startswith("Baris 9, kolom RT") and "baris 6" in m for m in messages)
    assert Survey.objects.count() == 1  # only RT 003's baseline, from before


def test_a_file_that_is_not_a_spreadsheet_is_refused(cast):
    with pytest.raises(ImportRefused):
        run_survey_import(
            SimpleUploadedFile("survei.xlsx", b"not a workbook"), user=cast.staff, dry_run=True
        )


def test_staff_import_the_sheet_in_admin_and_confirm_it(cast, hadimulyo_barat, client):
    one = make_rt(hadimulyo_barat, rt="001")
    client.force_login(cast.staff)
    url = reverse("admin:slums_survey_import")
    template = client.get(reverse("admin:slums_survey_import_template"))
    assert load_workbook(io.BytesIO(template.getvalue()))["Survei"]["A4"].value == "Kode Kelurahan"
    preview = client.post(url, {"import_file": sheet([row(one, **{"1a": 38})]), "format": 0})
    page = preview.content.decode()
    assert "1 survei" in page and not Survey.objects.exists()
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    client.post(reverse("admin:slums_survey_process_import"), data, follow=True)
    again = client.post(reverse("admin:slums_survey_process_import"), data, follow=True)
    assert Survey.objects.get().rt == one  # a second click on "confirm" writes nothing twice
    assert again.status_code == 200
    client.force_login(cast.worker)
    assert client.get(url).status_code == 302  # no admin for the field worker
