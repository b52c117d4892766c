import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from metro_slum.models import ExportRecord
from participants import exports, ranks
from participants.models import HouseholdRank
from tests.conftest import fill_group
from tests.factories import GroupFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

HEADERS = (
    "No", "NIK", "No. KK", "Nama Lengkap", "L/P", "Tempat Lahir", "Tanggal Lahir", "Alamat", "RT",
    "RW", "Kelurahan", "Kecamatan", "Program", "Kelompok", "Jabatan", "Jenis Usaha", "No. HP",
    "Pekerjaan", "Penghasilan per Bulan", "Jumlah Anggota Keluarga", "Desil DTSEN",
    "Tanggal Data Desil", "Tanggal Persetujuan Data",
)  # fmt: skip


def workbook_of(response):
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).active


def csv_rows_of(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def export(client, **data):
    data.setdefault("file_format", "xlsx")
    return client.post(reverse("participants:export"), {k: v for k, v in data.items() if v})


@pytest.fixture
def programme_group(hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat, name="Kelompok Jamu Sekar Arum")
    fill_group(group, 10)
    return group


# The date of the later of two DTSEN lists (the earlier one in May).
LATER = datetime.date(2026, 11, 2)


def test_staff_export_a_programme_as_a_clerk_would_want_it(client, admin_staff, programme_group):
    chair = programme_group.memberships.select_related("participant").get(role="chair")
    treasurer = programme_group.memberships.select_related("participant").get(role="treasurer")
    ranked = [chair.participant.kk_number, treasurer.participant.kk_number]
    HouseholdRank.objects.filter(kk_number__in=ranked).delete()  # the factory's readings
    for desil, as_of in ((3, LATER.replace(month=5)), (2, LATER)):  # the later one is written
        ranks.rank_record(
            kk_number=chair.participant.kk_number, desil=desil, as_of=as_of,
            source=HouseholdRank.Source.DTSEN_IMPORT, by=None,
        )  # fmt: skip
    ranks.rank_record(
        kk_number=treasurer.participant.kk_number, in_dtsen=False, as_of=LATER,
        source=HouseholdRank.Source.SIKS_NG, by=None,
    )  # fmt: skip
    unranked = programme_group.memberships.get(role="secretary").participant
    HouseholdRank.objects.filter(kk_number=unranked.kk_number).delete()
    client.force_login(admin_staff)
    response = export(client, program=programme_group.program_id)

    assert response.status_code == 200
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="peserta_seluruh-kota-metro_{today}.xlsx"'
    )
    ws = workbook_of(response)
    assert ws["A1"].value == f"Daftar Peserta – {programme_group.program.name} (2026)"
    assert ws["A1"].font.b
    assert "A1:W1" in {str(r) for r in ws.merged_cells.ranges}
    assert tuple(c.value for c in ws[4]) == HEADERS
    assert all(c.font.b for c in ws[4])
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:W14"
    assert ws.column_dimensions["D"].width >= 20

    rows = {row[3].value: row for row in ws.iter_rows(min_row=5)}
    row = rows[chair.participant.full_name]
    nik, kk = row[1], row[2]
    assert (nik.value, nik.data_type) == (chair.participant.nik, "s")
    assert (kk.value, kk.data_type) == (chair.participant.kk_number, "s")
    assert len(nik.value) == 16
    assert row[6].value == datetime.datetime(1985, 8, 12)
    assert row[6].number_format == "dd/mm/yyyy"
    assert row[18].value == 750000
    assert row[18].number_format == '"Rp" #,##0'
    assert [c.value for c in row[10:16]] == [
        "Hadimulyo Barat",
        "Metro Pusat",
        programme_group.program.name,
        "Kelompok Jamu Sekar Arum",
        "Ketua",
        "Pembuatan jamu tradisional",
    ]
    later = datetime.datetime.combine(LATER, datetime.time())
    assert [c.value for c in row[20:22]] == ["2", later]
    assert row[21].number_format == "dd/mm/yyyy"
    assert [c.value for c in rows[treasurer.participant.full_name][20:22]] == [
        "tidak ada di DTSEN",
        later,
    ]
    assert [c.value for c in rows[unranked.full_name][20:22]] == [None, None]

    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count, record.masked, record.file_format) == (
        admin_staff,
        "participants",
        10,
        False,
        "xlsx",
    )


def test_supervisor_gets_identity_numbers_masked_and_the_log_says_so(
    client, supervisor, programme_group
):
    client.force_login(supervisor)
    ws = workbook_of(export(client, group=programme_group.pk))
    person = programme_group.memberships.select_related("participant").first().participant
    niks = [row[1].value for row in ws.iter_rows(min_row=5)]
    assert person.nik not in niks
    assert person.nik[:4] + "**********" + person.nik[-2:] in niks
    assert all("*" in row[2].value for row in ws.iter_rows(min_row=5))
    assert ExportRecord.objects.get().masked is True


def test_formulas_typed_into_participant_data_are_neutralised_in_xlsx_and_csv(
    client, admin_staff, hadimulyo_barat
):
    ParticipantFactory(
        kelurahan=hadimulyo_barat,
        full_name='=HYPERLINK("http://x","klik")',
        address="+SUM(1,2)",
        occupation="-2+3",
        birth_place="@cmd",
        phone="",
    )
    client.force_login(admin_staff)

    row = next(workbook_of(export(client, kelurahan=hadimulyo_barat.pk)).iter_rows(min_row=5))
    assert row[3].value == '\'=HYPERLINK("http://x","klik")'
    assert row[3].data_type == "s"
    assert (row[7].value, row[17].value, row[5].value) == ("'+SUM(1,2)", "'-2+3", "'@cmd")

    rows = csv_rows_of(export(client, kelurahan=hadimulyo_barat.pk, file_format="csv"))
    assert rows[2] == list(HEADERS)
    assert rows[3][3] == '\'=HYPERLINK("http://x","klik")'
    assert rows[3][7] == "'+SUM(1,2)"


def test_area_scope_lists_only_that_area(client, admin_staff, hadimulyo_barat, karangrejo):
    here = ParticipantFactory(kelurahan=hadimulyo_barat)
    ParticipantFactory(kelurahan=karangrejo)
    client.force_login(admin_staff)
    response = export(client, kecamatan=hadimulyo_barat.kecamatan_id)
    assert "kecamatan-metro-pusat" in response["Content-Disposition"]
    ws = workbook_of(response)
    assert [row[1].value for row in ws.iter_rows(min_row=5)] == [here.nik]
    assert "Wilayah: Kecamatan Metro Pusat" in ws["A2"].value


def test_csv_export_has_title_headers_rows_and_is_logged(client, admin_staff, programme_group):
    client.force_login(admin_staff)
    rows = csv_rows_of(export(client, program=programme_group.program_id, file_format="csv"))
    assert rows[0][0].startswith("Daftar Peserta")
    assert len(rows) == 3 + 10
    assert {len(r[1]) for r in rows[3:]} == {16}
    assert ExportRecord.objects.get().row_count == 10


def test_social_workers_and_visitors_cannot_export(client, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("participants:export")).status_code == 403
    assert export(client).status_code == 403
    client.logout()
    assert export(client).status_code == 302
    assert not ExportRecord.objects.exists()


def test_admin_exports_the_selected_participants(client, admin_staff, hadimulyo_barat):
    chosen = ParticipantFactory.create_batch(2, kelurahan=hadimulyo_barat)
    ParticipantFactory(kelurahan=hadimulyo_barat)
    client.force_login(admin_staff)
    response = client.post(
        reverse("admin:participants_participant_changelist"),
        {"action": "export_xlsx", "_selected_action": [p.pk for p in chosen]},
    )
    ws = workbook_of(response)
    assert sorted(row[1].value for row in ws.iter_rows(min_row=5)) == sorted(p.nik for p in chosen)
    assert ExportRecord.objects.get().scope == "2 peserta dipilih di admin"


def test_group_list_export(client, admin_staff, programme_group):
    GroupFactory(kelurahan=programme_group.kelurahan, name="Kelompok Baru")
    client.force_login(admin_staff)
    response = client.post(
        reverse("admin:participants_participantgroup_changelist"),
        {"action": "export_xlsx", "_selected_action": [programme_group.pk]},
    )
    ws = workbook_of(response)
    assert ws["A1"].value == "Daftar Kelompok"
    row = [c.value for c in next(ws.iter_rows(min_row=5))]
    assert row[1] == "Kelompok Jamu Sekar Arum"
    assert row[7:] == [10, row[8], "Ya"]
    assert ExportRecord.objects.get().kind == "groups"


def test_export_page_queries_do_not_grow_with_rows(client, admin_staff, hadimulyo_barat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_staff)
    ParticipantFactory.create_batch(3, kelurahan=hadimulyo_barat)
    with CaptureQueriesContext(connection) as few:
        b"".join(export(client).streaming_content)
    ParticipantFactory.create_batch(40, kelurahan=hadimulyo_barat)
    with CaptureQueriesContext(connection) as many:
        b"".join(export(client).streaming_content)
    assert len(many) == len(few)


def test_the_export_service_itself_refuses_users_without_the_permission(social_worker):
    with pytest.raises(PermissionDenied):
        exports.participants_export(user=social_worker, scope=exports.Scope())
    assert not ExportRecord.objects.exists()


def test_the_page_counts_the_rows_before_the_download(client, admin_staff, programme_group):
    client.force_login(admin_staff)
    page = client.get(reverse("participants:export"), {"program": programme_group.program_id})
    html = page.content.decode()
    assert "Berkas akan berisi 10 baris." in html
    # The download form carries the same choices.
    assert f'name="program" value="{programme_group.program_id}"' in html
    assert not ExportRecord.objects.exists()


def test_an_export_that_matches_nothing_is_refused_with_a_warning(
    client, admin_staff, programme_group, karangrejo
):
    client.force_login(admin_staff)
    choices = {"group": programme_group.pk, "kelurahan": karangrejo.pk}
    page = client.get(reverse("participants:export"), choices).content.decode()
    assert "Tidak ada peserta yang cocok dengan pilihan ini" in page
    assert "Unduh</button>" not in page
    response = export(client, **choices)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Tidak ada yang diunduh." in response.content.decode()
    assert not ExportRecord.objects.exists()


def test_the_programme_kelurahan_come_first_in_the_choice(client, admin_staff, programme_group):
    client.force_login(admin_staff)
    form = client.get(reverse("participants:export")).context["form"]
    labels = [label for _value, label in form.fields["kelurahan"].choices][1:]
    assert labels[0] == "Hadimulyo Barat (1 kelompok)"
    assert len(labels) == 22 and all("kelompok" not in label for label in labels[1:])


def test_an_export_is_recorded_before_its_rows_are_sent(client, admin_staff, programme_group):
    client.force_login(admin_staff)
    response = export(client, program=programme_group.program_id, file_format="csv")
    # Recorded already, though not a byte of the list has gone out (a broken-off download).
    record = ExportRecord.objects.get()
    assert (record.user, record.file_format, record.row_count) == (admin_staff, "csv", 0)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 3 + 10
    record.refresh_from_db()
    assert record.row_count == 10


def test_a_csv_field_holding_either_separator_is_quoted_and_each_piece_disarmed(
    client, admin_staff, hadimulyo_barat
):
    ParticipantFactory(kelurahan=hadimulyo_barat, address=";=1+1", occupation="Tani, =2+2")
    client.force_login(admin_staff)
    response = export(client, kelurahan=hadimulyo_barat.pk, file_format="csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert '";\'=1+1"' in text
    assert '"Tani,\' =2+2"' in text
    # Split as Excel splits where the list separator is a semicolon: no piece is a formula.
    for line in text.splitlines()[3:]:
        for piece in line.replace(",", ";").split(";"):
            assert not piece.strip('"').startswith(("=", "+", "@")), line
