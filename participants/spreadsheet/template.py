"""The empty participant list to fill in: the export's layout, identity columns formatted as text.

Like the exported lists, the template is a document of the office and reads in Indonesian.
"""

from metro_slum.spreadsheets.template import empty_list, workbook_bytes
from participants.spreadsheet.layout import PARTICIPANT_LIST

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


def template_workbook() -> bytes:
    return workbook_bytes(
        empty_list("Daftar Peserta – templat impor", "Peserta", PARTICIPANT_LIST, INSTRUCTIONS)
    )
