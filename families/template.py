"""The empty aid list to fill in, with the office's kinds of aid on a second sheet (Indonesian,
like every document of the office)."""

from families.importer import AID_COLUMNS
from families.models import AidKind
from participants.spreadsheet.template import empty_list, workbook_bytes

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
    columns = [
        (header, WIDTHS.get(name, 14), name == "nik") for name, header, _a, _r in AID_COLUMNS
    ]
    workbook = empty_list(
        "Daftar Bantuan yang Diterima – templat impor", "Bantuan", columns, INSTRUCTIONS
    )
    kinds = workbook.create_sheet("Jenis Bantuan", index=1)
    kinds.append(["Jenis Bantuan", "Satuan (bila barang)", "Diharapkan sekali per (bulan)"])
    for kind in AidKind.objects.filter(is_active=True).order_by("name"):
        kinds.append([kind.name, kind.in_kind_unit, kind.repeat_months])
    kinds.column_dimensions["A"].width = 34
    kinds.column_dimensions["B"].width = 20
    kinds.column_dimensions["C"].width = 28
    return workbook_bytes(workbook)
