"""A re-survey as the worker and the supervisor meet it: the last reviewed survey's counts offered
screen by screen, the review set beside it with the changes marked; the map named and explained;
the reason a survey cannot be opened said; the area written as every other number."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from tests.slums.conftest import reviewed, survey_of

pytestmark = pytest.mark.django_db
BASELINE = {"1a": 30, "2a": 400, "4b": 250, "7a": 38}


@pytest.fixture
def resurvey(cast, rt):
    baseline = reviewed(survey_of(rt, cast.worker, BASELINE), cast)
    later = survey_of(rt, cast.worker, {}, on=datetime.date(2025, 12, 12))
    later.answers.all().delete()  # a new survey, nothing entered yet
    return baseline, later


def test_each_screen_of_a_re_survey_offers_the_last_count_to_confirm_or_change(
    worker_client, resurvey
):
    baseline, later = resurvey
    page = worker_client.get(reverse("slums:answer", args=[later.pk, "1a"]))
    assert page.context["form"].initial["affected"] == "30"
    note = page.text.split('id="last-count"')[1].split("</p>")[0]
    assert "Survei terakhir (12/08/2025) menghitung 30 dari 38" in note
    assert "benarkan atau ubah" in note


def test_the_review_sets_the_last_reviewed_survey_beside_with_the_changes_marked(
    client, cast, rt, resurvey
):
    baseline, later = resurvey
    from slums import services
    from slums.models import SubCriterion

    counts = {sub: (0, "") for sub in SubCriterion.objects.all()}
    services.survey_answers(survey=later, by=cast.worker, counts=counts)
    client.force_login(cast.supervisor)
    page = client.get(reverse("slums:survey", args=[later.pk])).text
    table = page.split('id="survey-lines"')[1].split("</table>")[0]
    assert "Sebelumnya (12/08/2025)" in table
    row = table.split('data-sub="1a"')[1].split("</tr>")[0]
    assert re.search(r"data-before>[^<]*%", row)  # the baseline's share and score
    assert 'data-change="better"' in row  # scored lower now
    assert f"data-before-total>{baseline.score} · " in table


def test_a_reviewed_survey_says_why_it_cannot_be_changed(cast, rt, worker_client):
    survey = reviewed(survey_of(rt, cast.worker, BASELINE), cast)
    page = worker_client.get(reverse("slums:answer", args=[survey.pk, "1a"]))
    assert page.status_code == 403
    assert "Survei ini tidak dapat diubah sekarang" in page.text
    assert "milik kelurahan lain" not in page.text


def test_the_area_reads_as_every_other_number(cast, rt, worker_client):
    survey = survey_of(rt, cast.worker, BASELINE)
    page = worker_client.get(reverse("slums:survey_totals", args=[survey.pk])).text
    area = page.split('name="area_ha"')[1].split(">")[0]
    assert 'value="4,00"' in area and 'type="text" name="area_ha"' in page
    data = {
        "surveyed_on": "12/08/2025", "surveyor": "Tim Pokja", "households": "40",
        "buildings": "38", "area_ha": "2,78", "road_length_m": "500",
        "drainage_length_m": "400", "road_ideal_length_m": "780",
        "drainage_ideal_length_m": "500", "notes": "",
    }  # fmt: skip
    saved = worker_client.post(reverse("slums:survey_totals", args=[survey.pk]), data)
    assert saved.status_code == 302
    survey.refresh_from_db()
    assert str(survey.area_ha) == "2.78"


def test_the_map_names_each_rt_and_explains_its_colours(cast, rt, worker_client, hadimulyo_barat):
    from slums.models import Boundary

    Boundary.objects.create(
        rt=rt,
        kelurahan=hadimulyo_barat,
        geometry={"type": "Polygon", "coordinates": [[[105.3, -5.11], [105.31, -5.11],
                                                      [105.31, -5.12], [105.3, -5.11]]]},
    )  # fmt: skip
    reviewed(survey_of(rt, cast.worker, BASELINE), cast)
    page = worker_client.get(reverse("slums:place", args=[hadimulyo_barat.code])).text
    features = json.loads(
        page.split('id="slum-features" type="application/json">')[1].split("<")[0]
    )
    assert features["features"][0]["properties"]["short_label"] == "1/1"
    labels = json.loads(
        page.split('id="slum-class-labels" type="application/json">')[1].split("<")[0]
    )
    assert labels[""] == "belum disurvei" and len(labels) == 5


def test_a_reader_in_english_reads_the_method_and_the_classes_in_english(cast, rt, worker_client):
    survey = reviewed(survey_of(rt, cast.worker, BASELINE), cast)
    indonesian = worker_client.get(reverse("slums:survey", args=[survey.pk])).text
    assert "Ketidakteraturan bangunan" in indonesian and "Irregular buildings" not in indonesian
    worker_client.cookies["django_language"] = "en"
    english = worker_client.get(reverse("slums:survey", args=[survey.pk])).text
    assert "Irregular buildings" in english and "Ketidakteraturan bangunan" not in english
    badge = english.split('id="survey-class">')[1].split("</span>")[0]
    assert any(word in badge for word in ("Not slum", "Light slum", "Medium slum", "Heavy slum"))
    assert "umuh" not in badge  # not "Kumuh …" beside an English page
