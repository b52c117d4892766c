"""Reports as A4 pages and as XLSX files read back with openpyxl."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from metro_slum.models import ExportRecord
from participants.models import Program

pytestmark = pytest.mark.django_db


def workbook(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content)).active


def test_recap_page_lists_every_group_by_kecamatan_with_totals(client, demo):
    client.force_login(demo["staf"])
    response = client.get(reverse("programme:report", args=["rekap"]))
    report = response.context["report"]
    assert [row[1] for row in report.rows] == [
        "Metro Pusat",
        "Metro Utara",
        "Metro Barat",
        "Metro Timur",
        "Metro Selatan",
    ]
    html = response.content.decode()
    assert "Rekapitulasi program" in html
    assert "Rp 34.970.000" in html  # the approved total in the last row
    assert "PEMERINTAH KOTA METRO" in html


def test_recap_xlsx_has_the_same_rows_money_as_numbers_and_is_logged(client, demo):
    client.force_login(demo["staf"])
    response = client.post(reverse("programme:report", args=["rekap"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = workbook(response)
    assert sheet["A1"].value == "Rekapitulasi program"
    header = [cell.value for cell in sheet[4]]
    assert header[:4] == ["No", "Kecamatan", "Kelurahan", "Kelompok"]
    first = [cell.value for cell in sheet[5]]
    assert first[1:4] == ["Metro Pusat", "Hadimulyo Barat", "Kelompok Jamu Sekar Arum"]
    assert first[7] == 17_100_000 and sheet.cell(5, 8).number_format == '"Rp" #,##0'
    total = [cell.value for cell in sheet[10]]
    assert total[1] == "Total" and total[7] == 34_970_000
    record = ExportRecord.objects.get()
    assert (record.kind, record.user, record.row_count) == ("report", demo["staf"], 6)


def test_recipients_list_holds_only_approved_grants_of_the_chosen_programme(client, demo):
    client.force_login(demo["supervisor"])
    pilot = Program.objects.get(year=2025)
    current = client.get(reverse("programme:report", args=["penerima"])).context["report"]
    assert [row[1] for row in current.rows] == [
        "Kelompok Jamu Sekar Arum",
        "Kelompok Gas Iring Makmur",
    ]
    sheet = workbook(
        client.post(reverse("programme:report", args=["penerima"]), {"program": pilot.pk})
    )
    names = [sheet.cell(row, 2).value for row in range(5, 7)]
    assert names == ["Kelompok Kue Mawar Hadimulyo", "Kelompok Sayur Rejo Lestari"]
    assert isinstance(sheet.cell(5, 10).value, datetime.datetime)  # first disbursement: a date
    assert sheet.cell(5, 10).number_format == "dd/mm/yyyy"


def test_monitoring_report_covers_the_period_chosen(client, demo):
    client.force_login(demo["supervisor"])
    url = reverse("programme:report", args=["pemantauan"])
    october = client.get(url, {"dari": "2026-10-01", "sampai": "2026-10-31"})
    report = october.context["report"]
    assert [(row[1], row[4]) for row in report.rows] == [(datetime.date(2026, 10, 31), "Tersendat")]
    assert ("Tersendat", "1") in report.summary
    assert "01/10/2026 s.d. 31/10/2026" in october.content.decode()
    sheet = workbook(client.post(url, {"dari": "2026-09-01", "sampai": "2026-11-30"}))
    assert [sheet.cell(row, 6).value for row in range(5, 8)] == [1_800_000, 1_500_000, 2_400_000]


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message(client, demo):
    client.force_login(demo["supervisor"])
    response = client.get(
        reverse("programme:report", args=["pemantauan"]),
        {"dari": "2026-11-01", "sampai": "2026-10-01"},
    )
    assert response.status_code == 400
    assert "Akhir periode tidak boleh sebelum awalnya." in response.content.decode()
    garbage = client.get(
        reverse("programme:report", args=["pemantauan"]), {"dari": "kemarin", "sampai": "x"}
    )
    assert garbage.status_code == 400


def test_social_worker_prints_reports_of_their_kelurahan_but_cannot_download(client, demo):
    client.force_login(demo["pekerja"])
    report = client.get(reverse("programme:report", args=["rekap"])).context["report"]
    assert {row[2] for row in report.rows} == {"Hadimulyo Barat", "Karangrejo"}
    assert client.post(reverse("programme:report", args=["rekap"])).status_code == 403
    assert not ExportRecord.objects.exists()


def test_an_unknown_report_is_not_found(client, demo):
    client.force_login(demo["staf"])
    assert client.get(reverse("programme:report", args=["rahasia"])).status_code == 404


def test_reports_page_offers_the_three_reports_with_the_programme_and_period(client, demo):
    client.force_login(demo["pekerja"])
    html = client.get(reverse("programme:reports")).content.decode()
    for key in ("rekap", "penerima", "pemantauan", "hasil"):
        assert f'data-report="{key}"' in html
    assert "Daftar penerima bantuan" in html and 'name="dari"' in html


def test_outcome_report_of_a_kelurahan_over_every_programme_as_xlsx(client, demo):
    client.force_login(demo["staf"])
    url = reverse("programme:report", args=["hasil"])
    page = client.get(url, {"kelurahan": "1872011004"}).content.decode()
    assert "Kelurahan Hadimulyo Barat · Semua program" in page
    assert "+Rp 325.000" in page  # median change of the twenty members compared
    response = client.post(url, {"kelurahan": "1872011004"})
    sheet = workbook(response)
    assert sheet["A1"].value == "Laporan hasil"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=6)]
    # The pilot's cake group (2025) and the herbal-drink group (2026), each against its baseline.
    assert [(r[1], r[3], r[5], r[8]) for r in rows] == [
        (2025, "Kelompok Kue Mawar Hadimulyo", 10, 425_000),
        (2026, "Kelompok Jamu Sekar Arum", 10, 225_000),
    ]
    assert rows[0][10] == "ya" and rows[0][11] == "ya"  # running after 6 and 12 months


def test_outcome_report_of_a_kelurahan_the_worker_does_not_serve_is_not_found(client, demo):
    client.force_login(demo["pekerja"])
    url = reverse("programme:report", args=["hasil"])
    assert client.get(url, {"kelurahan": "1872041003"}).status_code == 404


def test_a_programme_too_large_to_print_offers_its_report_kelurahan_by_kelurahan(
    client, demo, settings
):
    settings.REPORT_GROUPS_AT_ONCE = 3
    client.force_login(demo["staf"])
    places = client.get(reverse("programme:report", args=["rekap"]))
    html = places.content.decode()
    assert places.status_code == 200 and "report" not in places.context
    assert "kelurahan demi kelurahan" in html and "ekspor peserta" in html.lower()
    links = dict(re.findall(r'<a href="\?([^"]*kelurahan=\d+)">([^<]+)</a>', html))
    assert sorted(links.values()) == sorted(
        ["Hadimulyo Barat", "Rejomulyo", "Ganjar Asri", "Iringmulyo", "Karangrejo"]
    )

    query = next(q for q, name in links.items() if name == "Rejomulyo").replace("&amp;", "&")
    one = client.get(reverse("programme:report", args=["rekap"]) + "?" + query)
    report = one.context["report"]
    assert report.rows and {row[2] for row in report.rows} == {"Rejomulyo"}
    assert report.subtitle.startswith("Kelurahan Rejomulyo · ")
    sheet = workbook(
        client.post(
            reverse("programme:report", args=["rekap"]) + "?" + query,
            dict(pair.split("=") for pair in query.split("&")),
        )
    )
    cells = [sheet.cell(row=5 + r, column=3).value for r in range(len(report.rows))]
    assert cells == ["Rejomulyo"] * len(report.rows)


def test_a_long_report_is_printed_in_parts_and_downloaded_whole(client, demo, settings):
    """Above REPORT_GROUPS_PER_PART groups the printed report comes part by part, each saying
    which part it is, in the same order as the Excel download, which holds every group."""
    settings.REPORT_GROUPS_PER_PART = 2
    client.force_login(demo["staf"])
    url = reverse("programme:report", args=["rekap"])
    sheet = workbook(client.post(url, {"bagian": "2"}))  # the download ignores the part
    whole = [row[3] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    assert len(whole) > 4
    parts = client.get(url).context["part"].paginator.num_pages
    assert parts == (len(whole) + 1) // 2
    printed = []
    for number in range(1, parts + 1):
        response = client.get(url, {"bagian": number})
        html = response.content.decode()
        first = 2 * number - 1
        last = min(2 * number, len(whole))
        assert f"Bagian {number} dari {parts}: kelompok {first}–{last} dari {len(whole)}" in html
        assert ("Bagian berikutnya" in html) == (number < parts)
        assert ("Bagian sebelumnya" in html) == (number > 1)
        rows = response.context["report"].rows
        printed += [row[3] for row in rows]
        # The total row is this part's.
        assert response.context["report"].total_row[8] == sum(row[8] or 0 for row in rows)
    assert printed == whole
    # A part that is not one opens the nearest part, never an error.
    assert client.get(url, {"bagian": "x"}).context["part"].number == 1
    assert client.get(url, {"bagian": "999"}).context["part"].number == parts
