"""The empty participant list to fill in: the export's layout, identity columns formatted as text.

Like the exported lists, the template is a document of the office and reads in Indonesian.
"""

from metro_slum.spreadsheets.template import empty_list, workbook_bytes
from participants.spreadsheet.dtsen import DTSEN_LIST
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


DTSEN_INSTRUCTIONS = (
    "Petunjuk pengisian daftar DTSEN",
    "1. Satu baris satu orang, seperti daftar DTSEN yang diterima dinas. NIK dan No. KK 16 digit, "
    "ditulis sebagai teks.",
    "2. Desil bilangan bulat 1 sampai 10. Tanggal data daftar (per tanggal) dan desil yang "
    "dimuatnya (semua, atau misalnya 1–5) diisi di halaman impor, bukan di daftar.",
    "3. Kelurahan ditulis nama atau kodenya (misalnya Hadimulyo Barat atau 1872011004); hanya "
    "kelurahan di Kota Metro.",
    "4. Tanggal Lahir dan ID DTSEN boleh dikosongkan; bila Tanggal Lahir diisi, harus sesuai "
    "dengan NIK.",
    "5. Peserta ditemukan menurut NIK, keluarganya menurut No. KK; peringkat keluarga dicatat. "
    "Warga yang belum menjadi peserta tidak didaftarkan: mereka masuk daftar calon kelurahannya.",
    "6. Bila ada satu baris saja yang salah, tidak ada data yang disimpan: perbaiki lalu "
    "unggah lagi.",
)


def dtsen_template() -> bytes:
    return workbook_bytes(
        empty_list("Daftar DTSEN – templat impor", "DTSEN", DTSEN_LIST, DTSEN_INSTRUCTIONS)
    )
