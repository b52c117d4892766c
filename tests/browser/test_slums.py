"""The slum survey in the field and at the desk: an RT surveyed on a 360 px phone one
sub-criterion a screen, with a photo; the kelurahan's map at 1280 px, an RT clicked (and reached
by keyboard) shows its score."""

import datetime
import json
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from participants.models import RT, RW
from slums import services
from slums.models import Survey
from tests.cast import Cast
from tests.factories import _kelurahan
from tests.helpers import log_in
from tests.slums.conftest import TOTALS, reviewed, survey_of
from tests.slums.test_scoring import RT_A

pytestmark = pytest.mark.django_db(transaction=True)
PNG = "/tmp/metro-slum-photo.png"


def _rt(kelurahan, code="001"):
    rw, _created = RW.objects.get_or_create(kelurahan=kelurahan, code="001")
    return RT.objects.create(rw=rw, code=code, **TOTALS)


def test_a_worker_surveys_an_rt_on_a_phone(phone, live_server):
    from grants.demo import PNG as picture

    with open(PNG, "wb") as out:
        out.write(picture)
    place = _kelurahan("1872011004")
    cast = Cast(place)
    _rt(place)
    url = live_server.url
    log_in(phone, url, "pekerja")
    phone.goto(f"{url}/kumuh/{place.code}/")
    phone.get_by_role("link", name="RT 001/RW 001").click()
    phone.get_by_role("link", name="Survei baru").click()
    phone.get_by_label("Tanggal survei").fill("12/08/2025")
    expect(phone.get_by_label("Keluarga")).to_have_value("40")  # remembered from the RT
    phone.get_by_role("button", name="Lanjut: subkriteria").click()
    expect(phone.locator("#progress")).to_contain_text("Subkriteria 1 dari 16")
    phone.screenshot(path="/tmp/metro-slum-answer-360.png", full_page=True)
    # A count larger than the RT's total is refused on the screen, nothing saved.
    phone.get_by_label("Berapa yang terdampak?").fill("39")
    phone.get_by_role("button", name="Simpan dan lanjut").click()
    expect(phone.get_by_role("alert").first).to_contain_text("39 lebih banyak dari 38 bangunan")
    for number, code in enumerate(RT_A, start=1):
        expect(phone.locator("#progress")).to_contain_text(f"Subkriteria {number} dari 16")
        phone.get_by_label("Berapa yang terdampak?").fill(str(RT_A[code]))
        if code == "1a":
            phone.locator("input[type=file]").set_input_files(PNG)
        phone.get_by_role("button", name="Simpan").first.click()
    expect(phone.locator("#survey-score")).to_have_text("50")
    expect(phone.locator("#survey-class")).to_have_text("Kumuh sedang")
    phone.screenshot(path="/tmp/metro-slum-survey-360.png", full_page=True)
    phone.get_by_role("button", name="Kirim untuk ditinjau").click()
    expect(phone.locator("#survey-status")).to_have_text("Dikirim")
    survey = Survey.objects.get()
    assert (survey.score, survey.status, survey.answers.count()) == (50, "submitted", 16)
    assert survey.photos.get().sub.code == "1a"
    assert survey.surveyed_on == datetime.date(2025, 8, 12)
    assert cast.supervisor  # reviews it at the desk (tests/slums/test_surveys.py)


def _two_rts_on_a_map():
    """Two RTs of Hadimulyo Barat, surveyed and reviewed, their squares loaded: (place, rt)."""
    place = _kelurahan("1872011004")
    cast = Cast(place)
    rt, other = _rt(place), _rt(place, "002")
    reviewed(survey_of(rt, cast.worker, RT_A), cast)
    reviewed(survey_of(other, cast.worker, {}), cast)
    lon, lat = 105.300, -5.105

    def square(x):
        corners = [[x, lat], [x + 0.002, lat], [x + 0.002, lat + 0.002], [x, lat + 0.002], [x, lat]]
        return {"type": "Polygon", "coordinates": [corners]}

    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"rw": "1", "rt": "1"}, "geometry": square(lon)},
            {
                "type": "Feature",
                "properties": {"rw": "1", "rt": "2"},
                "geometry": square(lon + 0.0025),
            },
        ],
    }
    services.boundaries_load(
        json.dumps(data).encode(), kelurahan=place, by=cast.staff, illustrative=True
    )
    return place, rt


def test_the_map_shows_an_rts_score_when_it_is_clicked(desk, live_server):
    place, rt = _two_rts_on_a_map()
    url = live_server.url
    log_in(desk, url, "kasi")
    desk.goto(f"{url}/kumuh/{place.code}/")
    expect(desk.locator("#illustrative")).to_be_visible()
    shape = desk.locator('path[data-rt-label="RT 001/RW 001"]')
    expect(shape).to_be_visible()
    shape.click()
    popup = desk.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("RT 001/RW 001")
    expect(popup).to_contain_text("Nilai: 50 · Kumuh sedang")
    desk.screenshot(path="/tmp/metro-slum-map-1280.png", full_page=True)
    # By keyboard: the other RT, focused and opened with Enter.
    desk.locator(".leaflet-popup-close-button").click()
    expect(popup).to_have_count(0)
    desk.locator('path[data-rt-label="RT 002/RW 001"]').focus()
    desk.keyboard.press("Enter")
    expect(popup).to_contain_text("Nilai: 0 · Tidak kumuh")
    assert Decimal(Survey.objects.get(rt=rt).score) == 50


def test_on_a_phone_the_map_names_its_rts_explains_its_colours_and_keeps_the_popup_inside(
    phone, live_server
):
    place, _rt_a = _two_rts_on_a_map()
    log_in(phone, live_server.url, "kasi")
    phone.goto(f"{live_server.url}/kumuh/{place.code}/")
    legend = phone.locator(".slum-legend")
    expect(legend).to_be_visible()
    expect(legend.locator("div")).to_have_count(5)
    expect(legend).to_contain_text("Kumuh sedang")
    expect(legend).to_contain_text("belum disurvei")
    expect(phone.locator(".rt-label")).to_have_text(["1/1", "2/1"])
    phone.locator('path[data-rt-label="RT 001/RW 001"]').click()
    popup = phone.locator(".leaflet-popup")
    expect(popup).to_contain_text("Nilai: 50 · Kumuh sedang")
    phone.wait_for_timeout(400)  # the map pans the popup into view
    box = phone.locator("#slum-map").bounding_box()
    inside = popup.bounding_box()
    assert box["x"] <= inside["x"] and inside["x"] + inside["width"] <= box["x"] + box["width"]
    assert box["y"] <= inside["y"]
    zoom = phone.locator(".leaflet-control-zoom").bounding_box()
    overlaps = not (
        zoom["x"] > inside["x"] + inside["width"]
        or zoom["y"] > inside["y"] + inside["height"]
        or zoom["x"] + zoom["width"] < inside["x"]
        or zoom["y"] + zoom["height"] < inside["y"]
    )
    assert not overlaps  # the zoom buttons never sit on the popup
