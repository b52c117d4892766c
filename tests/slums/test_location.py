"""Land legality and the non-physical considerations (Permen PUPR 14/2018) of an RT or of a
kawasan the slum decree lists: recorded in admin, shown on the RT page and in the trend report's
XLSX, and kept out of the 0–80 physical score."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from slums.models import Kawasan, Level, LocationAssessment
from tests.slums.conftest import make_rt, reviewed, survey_of

pytestmark = pytest.mark.django_db

KAWASAN_DAY = datetime.date(2025, 9, 1)


def assessed(*, legal=True, **place):
    return LocationAssessment.objects.create(
        assessed_on=KAWASAN_DAY, land_status_clear=legal, fits_spatial_plan=True,
        strategic_value=Level.HIGH, population_density=Level.MEDIUM,
        socio_economic_potential=Level.LOW, **place,
    )  # fmt: skip


def test_a_kawasan_holds_only_rts_of_its_kelurahan(cast, client, hadimulyo_barat, karangrejo):
    own, stranger = make_rt(hadimulyo_barat), make_rt(karangrejo)
    client.force_login(cast.staff)
    form = {"kelurahan": hadimulyo_barat.pk, "name": "Kawasan Rel", "decree": "SK 188/2024"}
    refused = client.post(
        reverse("admin:slums_kawasan_add"), {**form, "rts": [own.pk, stranger.pk]}
    )
    assert refused.status_code == 200
    assert f"{stranger.label}: bukan RT Hadimulyo Barat" in refused.content.decode()
    assert not Kawasan.objects.exists()
    saved = client.post(reverse("admin:slums_kawasan_add"), {**form, "rts": [own.pk]})
    assert saved.status_code == 302
    assert list(Kawasan.objects.get().rts.all()) == [own]


def test_an_assessment_is_of_an_rt_or_of_a_kawasan_and_not_in_the_future(
    cast, client, hadimulyo_barat
):
    rt = make_rt(hadimulyo_barat)
    kawasan = Kawasan.objects.create(kelurahan=hadimulyo_barat, name="Kawasan Rel")
    client.force_login(cast.staff)
    form = {
        "assessed_on": "01/09/2025", "land_status_clear": "on", "fits_spatial_plan": "on",
        "strategic_value": 5, "population_density": 3, "socio_economic_potential": 1,
    }  # fmt: skip
    url = reverse("admin:slums_locationassessment_add")
    both = client.post(url, {**form, "rt": rt.pk, "kawasan": kawasan.pk})
    assert "Nilai satu RT atau satu kawasan" in both.content.decode()
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    future = client.post(url, {**form, "rt": rt.pk, "assessed_on": tomorrow})
    assert "Tanggalnya di masa depan" in future.content.decode()
    assert not LocationAssessment.objects.exists()
    assert client.post(url, {**form, "kawasan": kawasan.pk}).status_code == 302
    assert LocationAssessment.objects.get().recorded_by == cast.staff


def test_the_rt_page_shows_its_own_assessment_else_its_kawasans_and_the_score_stays(
    cast, worker_client, hadimulyo_barat
):
    rt = make_rt(hadimulyo_barat)
    survey = reviewed(survey_of(rt, cast.worker, {"3a": 40}), cast)
    kawasan = Kawasan.objects.create(kelurahan=hadimulyo_barat, name="Kawasan Rel")
    kawasan.rts.add(rt)
    url = reverse("slums:rt", args=[rt.pk])
    assert 'id="no-location"' in worker_client.get(url).content.decode()
    assessed(kawasan=kawasan)
    page = worker_client.get(url).content.decode()
    assert "untuk kawasan Kawasan Rel" in page and "legal" in page
    assessed(rt=rt, legal=False)
    page = worker_client.get(url).content.decode()
    assert "tidak legal" in page and "untuk kawasan" not in page
    survey.refresh_from_db()
    assert survey.score == 5  # 3a 100 % → 5: the considerations add nothing to it


def test_the_trend_report_carries_the_considerations_beside_the_scores(
    cast, client, hadimulyo_barat
):
    assessed_rt, plain_rt = make_rt(hadimulyo_barat, rt="001"), make_rt(hadimulyo_barat, rt="002")
    for rt in (assessed_rt, plain_rt):
        reviewed(survey_of(rt, cast.worker, {"3a": 40}), cast)
    assessed(rt=assessed_rt, legal=False)
    client.force_login(cast.staff)
    response = client.post(reverse("slums:report"), {"kelurahan": hadimulyo_barat.code})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row[:2] == ["Kelurahan", "RT"])
    column = header.index("Lahan dan pertimbangan lain (di luar nilai)")
    by_rt = {row[1]: row for row in rows if row[0] == "Hadimulyo Barat"}
    assert by_rt[assessed_rt.label][column] == (
        "tidak legal; strategis tinggi, kepadatan sedang, potensi rendah (9 dari 15)"
    )
    assert by_rt[plain_rt.label][column] == "–"
    assert by_rt[assessed_rt.label][3] == 5  # the physical score, unchanged
