import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from metro_slum.models import WaitingFile
from metro_slum.spreadsheets import waiting as uploads
from participants import exports
from participants.models import Participant
from participants.spreadsheet import importer as imports
from tests.conftest import fill_group
from tests.factories import GroupFactory, ParticipantFactory, ProgramFactory, record_rank
from tests.memory import peak_growth
from tests.participants import spreadsheet_files as files

pytestmark = pytest.mark.django_db


def run(upload, user, dry_run=False):
    return imports.run_import(upload, user=user, dry_run=dry_run)


def messages(result):
    return [str(e) for e in result.errors]


def test_a_clerks_file_with_title_rows_and_a_no_column_is_imported(admin_staff, hadimulyo_barat):
    result = run(
        files.xlsx([files.person(1), files.person(2, **{"L/P": "Laki-laki"})]), admin_staff
    )

    assert result.ok, messages(result)
    assert (result.created, result.updated) == (2, 0)
    saved = Participant.objects.get(nik="1872011208850001")
    assert (saved.full_name, saved.kelurahan, saved.birth_date, saved.created_by) == (
        "Warga 1",
        hadimulyo_barat,
        datetime.date(1985, 8, 12),
        admin_staff,
    )


def test_dry_run_writes_nothing(admin_staff):
    result = run(files.xlsx([files.person(1)]), admin_staff, dry_run=True)
    assert (result.ok, result.created) == (True, 1)
    assert not Participant.objects.exists()


def test_rows_are_matched_on_nik_and_updated(admin_staff, hadimulyo_barat):
    existing = ParticipantFactory(
        nik="1872011208850001", kelurahan=hadimulyo_barat, full_name="Nama Lama"
    )
    result = run(files.xlsx([files.person(1, **{"Nama Lengkap": "Nama Baru"})]), admin_staff)
    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.full_name == "Nama Baru"
    assert existing.updated_by == admin_staff
    assert Participant.objects.count() == 1


def test_the_projects_own_export_reimports_with_no_change(admin_staff, hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat)
    fill_group(group, 10, address="=Jl. Melati")  # a value the export must neutralise
    export = exports.participants_export(
        user=admin_staff, scope=exports.Scope(program=group.program)
    )
    upload = files.SimpleUploadedFile(export.filename, export.file.read())
    before = list(Participant.objects.order_by("pk").values())

    result = run(upload, admin_staff)

    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged, result.memberships) == (0, 0, 10, 0)
    assert list(Participant.objects.order_by("pk").values()) == before


def test_a_semicolon_csv_is_read(admin_staff):
    result = run(files.csv_file([files.person(1), files.person(2)]), admin_staff)
    assert (result.ok, result.created) == (True, 2)


def test_data_on_a_second_sheet_is_found(admin_staff):
    result = run(files.xlsx([files.person(1)], sheet_before=True), admin_staff)
    assert (result.ok, result.sheet, result.created) == (True, "Data", 1)


def test_a_million_declared_empty_rows_are_ignored(admin_staff):
    result = run(files.xlsx([files.person(1)], far_row=1_048_576), admin_staff)
    assert (result.ok, result.created) == (True, 1)


def test_memberships_are_imported_through_the_group_rules(admin_staff, hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat, name="Kelompok Jamu Sekar Arum")
    for n in (1, 2):  # their households' ranks, from a DTSEN list: they may join
        record_rank(f"187201150115{n:04d}", 1)
    rows = [
        files.person(
            1, Program=group.program.name, Kelompok="kelompok jamu sekar arum", Jabatan="Ketua"
        ),
        files.person(2, Program=group.program.name, Kelompok="Kelompok Jamu Sekar Arum"),
    ]
    result = run(files.xlsx(rows), admin_staff)
    assert result.ok, messages(result)
    assert result.memberships == 2
    assert dict(group.memberships.values_list("participant__nik", "role")) == {
        "1872011208850001": "chair",
        "1872011208850002": "member",
    }


def test_an_eleventh_member_by_import_is_refused_and_nothing_written(admin_staff, hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat, name="Kelompok Penuh")
    fill_group(group, 10)
    rows = [files.person(1, Program=group.program.name, Kelompok="Kelompok Penuh")]

    result = run(files.xlsx(rows), admin_staff)

    assert not result.ok
    assert "Satu kelompok paling banyak 10 anggota" in messages(result)[0]
    assert messages(result)[0].startswith("Baris 5, kolom Kelompok")
    assert not Participant.objects.filter(nik="1872011208850001").exists()
    assert group.memberships.count() == 10


BAD_FILES = [
    (
        "not_a_spreadsheet",
        lambda: files.not_a_spreadsheet(),
        None,
        "bukan berkas Excel (.xlsx) atau CSV",
    ),
    ("corrupt_zip", lambda: files.corrupt_zip(), None, "rusak dan tidak dapat dibaca"),
    (
        "zip_without_workbook",
        lambda: files.zip_without_workbook(),
        None,
        "rusak dan tidak dapat dibaca",
    ),
    ("legacy_xls", lambda: files.legacy_xls(), None, "format Excel lama (.xls)"),
    ("empty_workbook", lambda: files.empty_workbook(), None, "Berkas ini kosong"),
    (
        "missing_columns",
        lambda: files.xlsx([files.person(1)], header=files.HEADER[:10]),
        None,
        "Kolom wajib tidak ditemukan di baris judul (baris 4, lembar 'Sheet'): Kelurahan",
    ),
    (
        "no_header_row",
        lambda: files.xlsx([["x", "y"]] * 3, header=None),
        None,
        "Baris judul kolom",
    ),
    ("header_only", lambda: files.xlsx([]), None, "tidak ada data peserta"),
]
BAD_ROWS = [
    ("nik_as_number", {"NIK": 1872011208850001}, "tersimpan sebagai angka (1.87201E+15)"),
    ("nik_in_scientific_notation", {"NIK": "1.87201E+15"}, "Excel sudah mengubahnya menjadi angka"),
    ("nik_ending_in_dot_zero", {"NIK": "1872011208850001.0"}, "berakhiran .0"),
    (
        "nik_lost_its_last_digit",
        {"NIK": "187201120885000"},
        "NIK harus 16 digit; yang diisi 15 digit.",
    ),
    ("nik_masked", {"NIK": "1872**********01"}, "disamarkan"),
    ("kk_as_number", {"No. KK": 1872011501150001.0}, "No. KK tersimpan sebagai angka"),
    ("unknown_kelurahan", {"Kelurahan": "Atlantis"}, "Kelurahan ini tidak dikenal"),
    ("impossible_date", {"Tanggal Lahir": "31/02/1985"}, "Tanggal tidak dikenali"),
    ("sex_unknown", {"L/P": "X"}, "Isi L (laki-laki) atau P (perempuan)."),
    (
        "nik_birth_date_disagrees",
        {"Tanggal Lahir": "13/08/1985"},
        "NIK menunjukkan tanggal lahir 12-08-85",
    ),
    (
        "group_of_unknown_programme",
        {"Program": "Program Hantu", "Kelompok": "Kelompok Hantu"},
        "Program tidak ditemukan",
    ),
]


@pytest.mark.parametrize(
    ("case", "make", "_rows", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_broken_files_are_refused_with_their_own_message(admin_staff, case, make, _rows, message):
    with pytest.raises(imports.ImportRefused) as caught:
        run(make(), admin_staff)
    assert message in str(caught.value)
    assert not Participant.objects.exists()


@pytest.mark.parametrize(("case", "change", "message"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_broken_rows_are_refused_naming_row_column_and_value(admin_staff, case, change, message):
    rows = [files.person(1), files.person(2, **change)]
    result = run(files.xlsx(rows), admin_staff)
    assert not result.ok
    assert any(message in m for m in messages(result)), messages(result)
    assert all(m.startswith("Baris 6") for m in messages(result))
    assert not Participant.objects.exists()


def test_a_group_that_does_not_exist_is_named(admin_staff):
    program = ProgramFactory()
    rows = [files.person(1, Program=program.name, Kelompok="Kelompok Hantu")]
    result = run(files.xlsx(rows), admin_staff)
    assert messages(result) == [
        "Baris 5, kolom Kelompok (isi: Kelompok Hantu): Kelompok ini tidak ada di kelurahan "
        "peserta untuk program tersebut. Buat kelompoknya dulu di aplikasi, atau periksa ejaan "
        "dan kelurahannya."
    ]
    assert not Participant.objects.exists()


def test_duplicate_niks_inside_the_file_are_refused(admin_staff):
    result = run(files.xlsx([files.person(1), files.person(2), files.person(1)]), admin_staff)
    assert messages(result) == [
        "Baris 7, kolom NIK (isi: 1872011208850001): NIK ini sudah ada di baris 5 berkas yang "
        "sama. Satu orang cukup satu baris."
    ]
    assert not Participant.objects.exists()


def test_template_has_the_export_layout_text_identity_columns_and_instructions(client, admin_staff):
    client.force_login(admin_staff)
    response = client.get(reverse("admin:participants_import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    ws = workbook["Peserta"]
    assert [c.value for c in ws[4]] == [c.header for c in exports.PARTICIPANT_COLUMNS]
    assert ws["B5"].number_format == "@" and ws["C5"].number_format == "@"
    assert "Petunjuk" in workbook.sheetnames


def upload_in_admin(client, upload):
    return client.post(
        reverse("admin:participants_participant_import"), {"import_file": upload, "format": 0}
    )


def test_admin_preview_then_confirm_then_the_file_is_gone(client, admin_staff, settings):
    client.force_login(admin_staff)
    preview = upload_in_admin(client, files.xlsx([files.person(1)]))
    html = preview.content.decode()
    assert "1 peserta baru" in html and "Belum ada yang disimpan" in html
    assert "Konfirmasi impor" in html and "Pratinjau" in html
    assert "1872011208850001" in html
    assert not Participant.objects.exists()
    # The upload, and the rows its preview read (for the confirmation, not to read it twice).
    assert sorted(WaitingFile.objects.values_list("kind", flat=True)) == ["read", "upload"]

    confirm = preview.context["confirm_form"]
    done = client.post(
        reverse("admin:participants_participant_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
        follow=True,
    )
    assert "Impor selesai: 1 baru" in done.content.decode()
    assert Participant.objects.count() == 1
    assert not WaitingFile.objects.exists()


def test_a_tampered_file_name_cannot_reach_outside_the_import_folder(client, admin_staff):
    client.force_login(admin_staff)
    response = client.post(
        reverse("admin:participants_participant_process_import"),
        {"import_file_name": "../../etc/passwd", "original_file_name": "x.xlsx", "format": 0},
        follow=True,
    )
    assert "Berkas yang sudah diperiksa tidak ada lagi" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_second_click_on_confirm_imports_once(client, admin_staff):
    client.force_login(admin_staff)
    preview = upload_in_admin(client, files.xlsx([files.person(1)]))
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    client.post(reverse("admin:participants_participant_process_import"), data)
    second = client.post(
        reverse("admin:participants_participant_process_import"), data, follow=True
    )
    assert "Berkas yang sudah diperiksa tidak ada lagi" in second.content.decode()
    assert Participant.objects.count() == 1


def test_admin_preview_lists_errors_and_keeps_no_file(client, admin_staff, settings):
    client.force_login(admin_staff)
    response = upload_in_admin(client, files.xlsx([files.person(1, NIK=1872011208850001)]))
    html = response.content.decode()
    assert "Baris 5, kolom NIK" in html
    assert "Tidak ada yang disimpan" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    # The upload is gone; only the list of its problems waits, for this session.
    assert list(WaitingFile.objects.values_list("kind", flat=True)) == ["errors"]


def test_a_flood_of_bad_rows_shows_the_first_problems_and_offers_them_all(
    client, admin_staff, settings
):
    """The worst case under the limits: every row of a full-size list wrong."""
    junk = [{"No": n, "NIK": f"x{n}", "Nama Lengkap": "?", "L/P": "?"} for n in range(20_000)]
    upload = files.xlsx(junk)
    client.force_login(admin_staff)
    with peak_growth() as grown:
        response = upload_in_admin(client, upload)
    html = response.content.decode()
    assert grown() < 200 * 2**20, f"peak {grown() / 2**20:.0f} MiB"
    assert len(response.content) < 2**20, f"answer {len(response.content) / 2**20:.1f} MiB"
    assert html.count("<li>Baris ") == 100
    more = response.context["result"].outcome.more_errors
    assert more > 19_000 and f"dan {more} kesalahan lain" in html

    report = client.get(reverse("admin:participants_import_errors"))
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert sheet.max_row == 4 + 20_000
    header = [c.value for c in sheet[4]]
    assert header[0] == "Baris" and header[-1] == "Kesalahan" and "NIK" in header
    first = [c.value for c in sheet[5]]
    assert first[0] == 5 and first[header.index("NIK")] == "x0"
    assert "L/P: Isi L (laki-laki) atau P (perempuan)." in first[-1]


def test_the_error_report_is_only_for_the_session_that_made_it(client, admin_staff, superuser):
    client.force_login(admin_staff)
    upload_in_admin(client, files.xlsx([files.person(1, NIK=1872011208850001)]))
    assert client.get(reverse("admin:participants_import_errors")).status_code == 200
    client.force_login(superuser)  # another session
    response = client.get(reverse("admin:participants_import_errors"), follow=True)
    assert "tidak ada lagi" in response.content.decode()


def test_admin_refuses_a_broken_file_with_its_message_and_keeps_no_file(
    client, admin_staff, settings
):
    client.force_login(admin_staff)
    response = upload_in_admin(client, files.legacy_xls())
    assert "format Excel lama (.xls)" in response.content.decode()
    assert not WaitingFile.objects.exists()


def test_supervisors_cannot_import(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("admin:participants_participant_import")).status_code == 403
    assert client.get(reverse("admin:participants_import_template")).status_code == 403


def test_cleanup_command_removes_abandoned_uploads():
    old = uploads.keep(b"old list")
    fresh = uploads.keep(b"fresh list")
    WaitingFile.objects.filter(token=old).update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    out = io.StringIO()
    call_command("cleanup_imports", "--hours", "1", stdout=out)
    assert list(WaitingFile.objects.values_list("token", flat=True)) == [fresh]
    assert uploads.read(fresh) == b"fresh list"
    assert "1 berkas" in out.getvalue()


def test_the_preview_of_an_update_shows_each_change_old_to_new(client, admin_staff):
    client.force_login(admin_staff)
    confirm = upload_in_admin(client, files.xlsx([files.person(1)])).context["confirm_form"]
    client.post(
        reverse("admin:participants_participant_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert Participant.objects.count() == 1
    changed = files.person(1, **{"Nama Lengkap": "Warga Satu", "Alamat": "Jl. Mawar 3"})
    preview = upload_in_admin(client, files.xlsx([changed, files.person(2)]))
    html = preview.content.decode()
    assert "Nama lengkap: Warga 1 → Warga Satu" in html
    assert "Alamat: Jl. Melati 7 → Jl. Mawar 3" in html
    assert Participant.objects.get().full_name == "Warga 1"  # nothing written yet


# What the sheet declares is not what it holds ------------------------------------------------


@pytest.mark.parametrize("declared", ["A1:L6", "A1"])
def test_every_row_is_read_whatever_size_the_sheet_declares(admin_staff, declared):
    upload = files.declaring(files.xlsx([files.person(n) for n in range(1, 11)]), declared)
    result = run(upload, admin_staff)
    assert result.ok, messages(result)
    assert (result.rows, result.created) == (10, 10)
    assert Participant.objects.count() == 10


# Formulas ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("cached", ["klik", None], ids=["with its value", "without a value"])
def test_a_formula_in_a_name_cell_is_refused_naming_the_cell(admin_staff, cached):
    upload = files.with_formula(
        files.xlsx([files.person(1), files.person(2)]),
        "D6",
        'HYPERLINK("http://contoh.id","klik")',
        cached,
    )
    result = run(upload, admin_staff)
    assert not result.ok
    assert messages(result) == [
        'Baris 6, kolom Nama Lengkap (isi: =HYPERLINK("http://contoh.id","klik")): Sel D6 berisi '
        "rumus, bukan nilai. Isi sel dengan nilainya: salin sel lalu tempel kembali sebagai "
        "nilai (Tempel Spesial → Nilai)."
    ]
    assert not Participant.objects.exists()


def test_a_formula_in_a_column_the_import_does_not_read_is_left_alone(admin_staff):
    upload = files.with_formula(files.xlsx([files.person(1), files.person(2)]), "A6", "A5+1", 2)
    result = run(upload, admin_staff)
    assert result.ok, messages(result)
    assert result.created == 2


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","klik")', "+SUM(1)", "@SUM(1)", "12345"])
def test_text_that_is_not_a_name_is_refused_as_a_name(admin_staff, name):
    result = run(files.csv_file([files.person(1, **{"Nama Lengkap": name})]), admin_staff)
    assert not result.ok
    assert "Nama diawali huruf" in messages(result)[0]
    assert messages(result)[0].startswith("Baris 2, kolom Nama Lengkap")
    assert not Participant.objects.exists()


def test_the_rule_on_names_is_the_participants_own(hadimulyo_barat):
    from django.core.exceptions import ValidationError

    from participants import services
    from tests.factories import participant_fields

    fields = participant_fields(hadimulyo_barat, nik="1872011208850003", kk_number="1" * 16)
    with pytest.raises(ValidationError) as refused:
        services.participant_create(**{**fields, "full_name": "=1+1"})
    assert "Nama diawali huruf" in str(refused.value)


# The right reason --------------------------------------------------------------------------------


def test_a_missing_nik_column_is_named(admin_staff):
    header = tuple(h for h in files.HEADER if h != "NIK")
    with pytest.raises(imports.ImportRefused) as refused:
        run(files.xlsx([files.person(1)], header=header), admin_staff)
    assert "Kolom wajib tidak ditemukan di baris judul (baris 4" in str(refused.value)
    assert str(refused.value).split(": ")[1].startswith("NIK.")


def test_the_eleventh_member_is_reported_at_the_row_that_makes_eleven(admin_staff, hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat, name="Kelompok Hampir Penuh")
    fill_group(group, 8)
    rows = [
        files.person(n, Program=group.program.name, Kelompok="Kelompok Hampir Penuh")
        for n in range(1, 4)
    ]
    result = run(files.xlsx(rows), admin_staff)
    assert len(result.errors) == 1
    assert messages(result)[0].startswith("Baris 7, kolom Kelompok")  # the third new one
    assert "perubahan ini membuatnya 11" in messages(result)[0]
    assert group.memberships.count() == 8


def test_a_second_chair_is_reported_at_its_own_row(admin_staff, hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat, name="Kelompok Dua Ketua")
    rows = [
        files.person(1, Program=group.program.name, Kelompok=group.name, Jabatan="Anggota"),
        files.person(2, Program=group.program.name, Kelompok=group.name, Jabatan="Ketua"),
        files.person(3, Program=group.program.name, Kelompok=group.name, Jabatan="Ketua"),
    ]
    result = run(files.xlsx(rows), admin_staff)
    assert [str(e).split(",")[0] for e in result.errors] == ["Baris 7"]


def test_a_signature_under_the_list_is_one_clear_message(admin_staff):
    rows = [files.person(n) for n in range(1, 4)] + [
        {"No": None, "Alamat": "Metro, 28 November 2026"},
        {"Alamat": "Lurah Hadimulyo Barat"},
        {"Alamat": "Drs. Suyanto"},
    ]
    result = run(files.xlsx(rows), admin_staff)
    assert messages(result) == [
        "Baris 8, kolom NIK: Baris 8–10 di bawah daftar tidak berisi NIK: tanda tangan atau "
        "catatan? Hapus baris-baris itu dari lembar daftar."
    ]
    assert not Participant.objects.exists()


def test_a_row_without_a_nik_inside_the_list_is_named_once(admin_staff):
    rows = [files.person(1), {"Nama Lengkap": "Tanpa NIK", "L/P": "X"}, files.person(2)]
    result = run(files.xlsx(rows), admin_staff)
    assert messages(result) == [
        "Baris 6, kolom NIK: Baris ini tidak berisi NIK. Isi NIK-nya, atau hapus barisnya."
    ]


# Limits -------------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_saying_the_limit(admin_staff, settings):
    settings.IMPORT_MAX_FILE_MB = 1
    padding = [files.person(1, Alamat="x" * 100)] * 12_000
    upload = files.csv_file(padding)
    assert upload.size > 1024 * 1024
    with pytest.raises(imports.ImportRefused) as refused:
        run(upload, admin_staff)
    assert "satu impor paling besar 1 MB" in str(refused.value)


def test_a_list_over_the_row_limit_is_refused_saying_the_limit(admin_staff, settings):
    settings.IMPORT_MAX_ROWS = 50
    with pytest.raises(imports.ImportRefused) as refused:
        run(files.xlsx([files.person(n) for n in range(1, 52)]), admin_staff)
    assert "lebih dari 50 baris; satu impor paling banyak 50 baris" in str(refused.value)
    assert not Participant.objects.exists()


def test_the_import_page_states_the_limits(client, admin_staff, settings):
    settings.IMPORT_MAX_ROWS = 20_000
    settings.IMPORT_MAX_FILE_MB = 10
    client.force_login(admin_staff)
    html = client.get(reverse("admin:participants_participant_import")).content.decode()
    assert "Satu berkas paling besar 10 MB dan 20.000 baris" in html
