"""The empty aid list to fill in, with the office's kinds of aid on a second sheet (Indonesian,
like every document of the office)."""

from families.importer import AID_LIST
from families.models import AidKind
from metro_slum.spreadsheets.template import empty_list, workbook_bytes

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
    workbook = empty_list(
        "Daftar Bantuan yang Diterima – templat impor", "Bantuan", AID_LIST, INSTRUCTIONS
    )
    kinds = workbook.create_sheet("Jenis Bantuan", index=1)
    kinds.append(["Jenis Bantuan", "Satuan (bila barang)", "Diharapkan sekali per (bulan)"])
    for kind in AidKind.objects.filter(is_active=True).order_by("name"):
        kinds.append([kind.name, kind.in_kind_unit, kind.repeat_months])
    kinds.column_dimensions["A"].width = 34
    kinds.column_dimensions["B"].width = 20
    kinds.column_dimensions["C"].width = 28
    return workbook_bytes(workbook)
