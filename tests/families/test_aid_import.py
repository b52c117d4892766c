"""Aid in bulk from Excel: the same safety as the participant import. Real XLSX files."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from families import services
from families.importer import ImportRefused, run_aid_import
from families.models import Aid

pytestmark = pytest.mark.django_db
PKH = "PKH (bantuan tunai bersyarat)"
HEADER = ["NIK", "Nama", "Jenis Bantuan", "Sumber", "Tanggal Terima", "Nilai (Rp)", "Jumlah"]


def xlsx(rows, header=HEADER, name="bantuan.xlsx"):
    workbook = Workbook()
    ws = workbook.active
    ws.append(["Daftar penerima bantuan – Kemensos"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(person, kind="PKH (bantuan tunai bersyarat)", day="10/08/2026", value=750000, qty=None):
    return [person.nik, person.full_name, kind, "Kemensos – PKH", day, value, qty]


def test_a_good_list_is_previewed_then_written_whole(cast, planned_group):
    people = [m.participant for m in planned_group.memberships.all()[:3]]
    upload = xlsx([row(p) for p in people])

    preview = run_aid_import(upload, user=cast.staff, dry_run=True)
    assert preview.ok and preview.created == 3
    assert not Aid.objects.exists()

    done = run_aid_import(upload, user=cast.staff, dry_run=False)
    assert done.created == 3
    assert sorted(Aid.objects.values_list("participant__nik", flat=True)) == sorted(
        p.nik for p in people
    )
    assert set(Aid.objects.values_list("value", flat=True)) == {Decimal(750_000)}


def test_bad_rows_are_named_and_nothing_is_written(cast, planned_group):
    good, other = [m.participant for m in planned_group.memberships.all()[:2]]
    upload = xlsx(
        [
            row(good),
            # Born on a day no factory-made participant is (tests/factories.py): unregistered.
            ["1872010503900099", "Tidak Ada", PKH, "X", "01/08/2026", 1],
            row(other, kind="Bantuan listrik"),
            row(other, day="31/02/2026"),
            [other.nik, "Nama Lain", PKH, "X", "01/08/2026", 1],
            row(other, kind="Bantuan pangan (sembako)", value=None, qty=None),
        ]
    )
    result = run_aid_import(upload, user=cast.staff, dry_run=False)
    messages = [str(error) for error in result.errors]
    assert any(m.startswith("Baris 5, kolom NIK") and "Daftarkan orangnya" in m for m in messages)
    assert any(m.startswith("Baris 6, kolom Jenis Bantuan") and "PKH" in m for m in messages)
    assert any(m.startswith("Baris 7, kolom Tanggal Terima") for m in messages)
    assert any(m.startswith("Baris 8, kolom Nama") and other.full_name in m for m in messages)
    assert any(m.startswith("Baris 9, kolom Jumlah") and "paket" in m for m in messages)
    assert not Aid.objects.exists()


def test_a_formula_and_a_numeric_nik_are_refused_with_their_cell(cast, planned_group):
    person = planned_group.memberships.first().participant
    upload = xlsx(
        [
            [person.nik, "", PKH, "X", "01/08/2026", "=2*3"],
            [float(person.nik), "", PKH, "X", "01/08/2026", 5],
        ]
    )
    result = run_aid_import(upload, user=cast.staff, dry_run=False)
    text = " ".join(str(e) for e in result.errors)
    assert "Sel F4 berisi rumus" in text
    assert "Baris 5, kolom NIK" in text and "15 digit" in text
    assert not Aid.objects.exists()


def test_doubles_in_the_register_and_in_the_file_are_flagged_not_refused(
    cast, planned_group, kinds
):
    first, second = [m.participant for m in planned_group.memberships.all()[:2]]
    services.aid_record(
        by=cast.staff,
        participant=first,
        kind=kinds["PKH (bantuan tunai bersyarat)"],
        source="Kemensos",
        received_on=datetime.date(2026, 8, 1),
        value=Decimal(750_000),
    )
    upload = xlsx([row(first), row(second), row(second, day="20/08/2026")])
    result = run_aid_import(upload, user=cast.staff, dry_run=True)
    flagged = {entry.number: entry.double for entry in result.preview}
    assert "01/08/2026" in flagged[4]  # the register's aid of 1 August
    assert flagged[5] == ""
    assert flagged[6] == "baris 5 berkas ini"
    assert result.doubles == 2

    run_aid_import(upload, user=cast.staff, dry_run=False)
    assert Aid.objects.filter(possible_double=True).count() == 2


def test_a_file_without_the_required_columns_is_refused_whole(cast):
    with pytest.raises(ImportRefused) as caught:
        run_aid_import(xlsx([], header=["NIK", "Nama", "Sumber"]), user=cast.staff, dry_run=True)
    assert "Jenis Bantuan" in str(caught.value) and "Tanggal Terima" in str(caught.value)


def test_the_admin_previews_flags_and_confirms_once(client, cast, planned_group, kinds):
    person = planned_group.memberships.first().participant
    client.force_login(cast.staff)
    template = client.get(reverse("admin:families_aid_import_template"))
    sheet = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in sheet["Bantuan"][4]][:5] == HEADER[:5]
    assert "PKH (bantuan tunai bersyarat)" in [c.value for c in sheet["Jenis Bantuan"]["A"]]

    preview = client.post(
        reverse("admin:families_aid_import"), {"import_file": xlsx([row(person)]), "format": 0}
    )
    html = preview.content.decode()
    assert "1 catatan bantuan" in html and "Belum ada yang disimpan" in html
    assert person.nik not in html  # the preview masks identity numbers
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    done = client.post(reverse("admin:families_aid_process_import"), data, follow=True)
    assert "Impor selesai: 1 catatan bantuan" in done.content.decode()
    again = client.post(reverse("admin:families_aid_process_import"), data, follow=True)
    assert "Berkas yang sudah diperiksa tidak ada lagi" in again.content.decode()
    assert Aid.objects.count() == 1


def test_the_supervisor_cannot_import_aid(client, cast):
    client.force_login(cast.supervisor)
    assert client.get(reverse("admin:families_aid_import")).status_code == 403
