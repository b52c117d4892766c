"""The empty participant list to fill in: the export's layout, identity columns formatted as text.

Like the exported lists, the template is a document of the office and reads in Indonesian.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from participants.spreadsheet.layout import PARTICIPANT_LIST

HEADER_ROW = 4
INSTRUCTIONS = (
    "Petunjuk pengisian daftar peserta",
    "1. Satu baris satu orang. NIK dan No. KK 16 digit, ditulis sebagai teks (kolomnya sudah "
    "berformat Teks; jangan diubah menjadi Angka).",
    "2. L/P diisi L atau P. Tanggal ditulis HH/BB/TTTT, misalnya 17/08/1985.",
    "3. Kelurahan ditulis namanya, misalnya Hadimulyo Barat (besar kecil huruf dan spasi tidak "
    "berpengaruh).",
    "4. Program, Kelompok dan Jabatan (Ketua, Sekretaris, Bendahara, Anggota) boleh "
    "dikosongkan; bila diisi, kelompoknya harus sudah ada di aplikasi.",
    "5. Peserta dengan NIK yang sudah terdaftar akan diperbarui datanya; NIK baru didaftarkan.",
    "6. Isi nilai, bukan rumus: sel yang berisi rumus (=...) ditolak.",
    "7. Jangan menulis tanda tangan atau catatan di bawah daftar pada lembar ini.",
    "8. Bila ada satu baris saja yang salah, tidak ada data yang disimpan: perbaiki lalu "
    "unggah lagi.",
)


def empty_list(title: str, sheet: str, columns, instructions) -> Workbook:
    """A workbook to fill in: a title, the header in row 4 (columns are (header, width, as text)),
    a thousand rows formatted as text where a number must keep its digits, and the instructions on
    their own sheet, which goes last."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Isi mulai baris {HEADER_ROW + 1}. Jangan mengubah baris judul kolom (baris 4)."
    for index, (header, width, as_text) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=header)
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = width
        if as_text:
            for row in range(HEADER_ROW + 1, HEADER_ROW + 1001):
                ws.cell(row=row, column=index).number_format = "@"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    help_sheet = workbook.create_sheet("Petunjuk")
    for line in instructions:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    columns = [(c.header, c.width, c.typed_as_text) for c in PARTICIPANT_LIST]
    return workbook_bytes(
        empty_list("Daftar Peserta – templat impor", "Peserta", columns, INSTRUCTIONS)
    )
