"""Open an exported list in LibreOffice, save it again, and check that no NIK lost a digit."""

import subprocess

import pytest
from openpyxl import load_workbook

from participants import exports
from tests.conftest import fill_group
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def convert(libreoffice, source, target_format, tmp_path):
    out = tmp_path / target_format
    out.mkdir()
    subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return next(out.iterdir())


def test_niks_survive_libreoffice_opening_and_saving_the_export(
    libreoffice, admin_staff, hadimulyo_barat, tmp_path
):
    group = GroupFactory(kelurahan=hadimulyo_barat)
    members = fill_group(group, 10)
    export = exports.participants_export(user=admin_staff, scope=exports.Scope(group=group))
    original = tmp_path / "peserta.xlsx"
    original.write_bytes(export.file.read())

    resaved = convert(libreoffice, original, "xlsx", tmp_path)
    ws = load_workbook(resaved).active
    niks = {row[1].value for row in ws.iter_rows(min_row=5) if row[1].value}
    assert niks == {m.participant.nik for m in members}
    assert all(isinstance(nik, str) and len(nik) == 16 for nik in niks)

    # What a person sees on screen: the CSV LibreOffice writes shows every digit.
    shown = convert(libreoffice, original, "csv", tmp_path).read_text(
        encoding="utf-8", errors="replace"
    )
    for membership in members:
        assert membership.participant.nik in shown
    assert "E+15" not in shown
