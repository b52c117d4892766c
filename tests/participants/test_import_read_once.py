"""A clean preview's rows are kept for its confirmation, which takes them instead of reading the
file a second time; anything else is read afresh."""

import datetime

import pytest

from metro_slum import uploads
from metro_slum.models import WaitingFile
from participants.models import Participant
from participants.spreadsheet import importer
from tests.participants import spreadsheet_files as files

pytestmark = pytest.mark.django_db


def read_rows():
    return WaitingFile.objects.filter(kind=WaitingFile.Kind.READ)


def no_second_reading(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the file was read a second time")

    monkeypatch.setattr(uploads, "within_budget", refuse)


def test_the_confirmation_takes_the_rows_its_preview_read(
    admin_staff, hadimulyo_barat, monkeypatch
):
    rows = [files.person(1, **{"Tanggal Lahir": datetime.datetime(1985, 8, 12)}), files.person(2)]
    upload = files.xlsx(rows)
    preview = importer.run_import(upload, user=admin_staff, dry_run=True)
    assert preview.ok and preview.created == 2
    assert read_rows().count() == 1
    assert not Participant.objects.exists()

    no_second_reading(monkeypatch)
    done = importer.run_import(upload, user=admin_staff, dry_run=False)
    assert done.ok and done.created == 2
    # The kept rows are what the file says: the date cell, the text cells, whole.
    first = Participant.objects.get(nik="1872011208850001")
    assert first.birth_date == datetime.date(1985, 8, 12)
    assert (first.full_name, first.rt, first.kelurahan) == ("Warga 1", "004", hadimulyo_barat)
    assert not read_rows().exists()  # taken: a second confirmation reads the file again


def test_a_preview_with_problems_keeps_nothing(admin_staff, hadimulyo_barat):
    upload = files.xlsx([files.person(1, **{"L/P": "X"})])
    assert not importer.run_import(upload, user=admin_staff, dry_run=True).ok
    assert not read_rows().exists()


def test_another_file_is_read_afresh(admin_staff, hadimulyo_barat):
    importer.run_import(files.xlsx([files.person(1)]), user=admin_staff, dry_run=True)
    changed = files.xlsx([files.person(1, **{"Nama Lengkap": "Nama Lain"})])
    done = importer.run_import(changed, user=admin_staff, dry_run=False)
    assert done.ok
    assert Participant.objects.get().full_name == "Nama Lain"
