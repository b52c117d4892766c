"""The empty aid list to fill in, with the office's kinds of aid on a second sheet (Indonesian,
like every document of the office)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from families.importer import AID_COLUMNS
from families.models import AidKind

HEADER_ROW = 4
WIDTHS = {"nik": 19, "full_name": 26, "kind": 26, "source": 28, "received_on": 14, "note": 30}
INSTRUCTIONS = (
    "Petunjuk pengisian daftar bantuan",
    "1. Satu baris satu bantuan yang diterima satu keluarga. NIK penerima 16 digit, ditulis "
    "sebagai teks; penerima harus sudah terdaftar sebagai peserta.",
    "2. Jenis Bantuan ditulis persis seperti pada lembar 'Jenis Bantuan'.",
    "3. Tanggal ditulis HH/BB/TTTT. Nilai dalam rupiah tanpa titik; bantuan barang diisi Jumlah.",
    "4. Modal usaha dari program ini tidak perlu dicatat: sudah tercatat dari pencairannya.",
    "5. Bantuan sejenis yang sudah diterima keluarga yang sama dalam periodenya ditandai "
    "'kemungkinan ganda' pada pratinjau; periksa sebelum mengonfirmasi.",
    "6. Bila ada satu baris saja yang salah, tidak ada data yang disimpan: perbaiki lalu "
    "unggah lagi.",
)


def aid_template() -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Bantuan"
    ws["A1"] = "Daftar Bantuan yang Diterima – templat impor"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Isi mulai baris {HEADER_ROW + 1}. Jangan mengubah baris judul kolom (baris 4)."
    for index, (name, header, _aliases, _required) in enumerate(AID_COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=header)
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = WIDTHS.get(name, 14)
        if name == "nik":
            for row in range(HEADER_ROW + 1, HEADER_ROW + 1001):
                ws.cell(row=row, column=index).number_format = "@"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    kinds = workbook.create_sheet("Jenis Bantuan")
    kinds.append(["Jenis Bantuan", "Satuan (bila barang)", "Diharapkan sekali per (bulan)"])
    for kind in AidKind.objects.filter(is_active=True).order_by("name"):
        kinds.append([kind.name, kind.in_kind_unit, kind.repeat_months])
    kinds.column_dimensions["A"].width = 34
    kinds.column_dimensions["B"].width = 20
    kinds.column_dimensions["C"].width = 28
    help_sheet = workbook.create_sheet("Petunjuk")
    for line in INSTRUCTIONS:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
