"""Spreadsheets as clerks make them, good and broken, built here rather than stored as blobs."""

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from grants.demo import PNG

HEADER = (
    "No", "NIK", "No. KK", "Nama Lengkap", "L/P", "Tempat Lahir", "Tanggal Lahir", "Alamat", "RT",
    "RW", "Kelurahan", "Kecamatan", "Program", "Kelompok", "Jabatan",
)  # fmt: skip


def person(n=1, **overrides):
    """A valid row for a man born 12/08/1985 in Hadimulyo Barat; `n` makes the NIK unique."""
    row = {
        "No": n,
        "NIK": f"187201120885{n:04d}",
        "No. KK": f"187201150115{n:04d}",
        "Nama Lengkap": f"Warga {n}",
        "L/P": "L",
        "Tempat Lahir": "Metro",
        "Tanggal Lahir": "12/08/1985",
        "Alamat": "Jl. Melati 7",
        "RT": "004",
        "RW": "002",
        "Kelurahan": "Hadimulyo Barat",
        "Kecamatan": "Metro Pusat",
        "Program": "",
        "Kelompok": "",
        "Jabatan": "",
    }
    row.update(overrides)
    return row


def xlsx(rows, *, header=HEADER, title=True, sheet_before=False, far_row=None, name="peserta.xlsx"):
    workbook = Workbook()
    ws = workbook.active
    if sheet_before:
        ws.title = "Petunjuk"
        ws.append(["Isi daftar di lembar berikutnya."])
        ws = workbook.create_sheet("Data")
    if title:
        ws.append(["DAFTAR PESERTA PROGRAM SLUM AREA"])
        ws.merge_cells("A1:O1")
        ws.append(["Kelurahan Hadimulyo Barat"])
        ws.append([])
    if header:
        ws.append(list(header))
    for row in rows:
        ws.append([row.get(h) for h in header] if isinstance(row, dict) else list(row))
    if far_row:
        # LibreOffice sometimes declares formatting down to the last row of the sheet.
        ws.cell(row=far_row, column=1, value=" ")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, *, delimiter=";", name="peserta.csv"):
    lines = [delimiter.join(HEADER)]
    lines += [delimiter.join(str(row.get(h, "")) for h in HEADER) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"))


def not_a_spreadsheet():
    return SimpleUploadedFile("peserta.xlsx", PNG)


def corrupt_zip():
    return SimpleUploadedFile("peserta.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50)


def zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    return SimpleUploadedFile("peserta.xlsx", buffer.getvalue())


def legacy_xls():
    return SimpleUploadedFile("peserta.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


def empty_workbook():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return SimpleUploadedFile("kosong.xlsx", buffer.getvalue())


def rewrite_sheet(upload, change):
    """Rewrite the first worksheet's XML as another program would have written it."""
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return SimpleUploadedFile(upload.name, buffer.getvalue())


def declaring(upload, ref):
    """The same sheet declaring a size of `ref` (`<dimension ref="A1:L6"/>`), whatever it holds."""
    return rewrite_sheet(
        upload, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
    )


def with_formula(upload, cell, formula, cached=None):
    """A cell holding a formula, with the value it computed last (as Excel and LibreOffice save
    it) or without one (as a program that does not compute writes it)."""

    def change(xml):
        value = f"<v>{cached}</v>" if cached is not None else ""
        kind = ' t="str"' if cached is not None else ""
        element = f'<c r="{cell}"{kind}><f>{formula}</f>{value}</c>'
        return re.sub(rf'<c r="{cell}"[^>]*>.*?</c>', element, xml, count=1, flags=re.S)

    return rewrite_sheet(upload, change)
