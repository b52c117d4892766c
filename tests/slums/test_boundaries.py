"""RT boundaries loaded from GeoJSON: each feature checked, all of them loaded or none."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slums import services
from slums.models import Boundary
from tests.slums.conftest import make_rt

pytestmark = pytest.mark.django_db
LON, LAT = 105.300, -5.105  # Hadimulyo Barat


def square(lon=LON, lat=LAT, size=0.002):
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size],
                         [lon, lat]]],
    }  # fmt: skip


def feature(geometry, rw="001", rt="001"):
    return {"type": "Feature", "properties": {"rw": rw, "rt": rt}, "geometry": geometry}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def refused(data, kelurahan) -> str:
    with pytest.raises(ValidationError) as error:
        services.boundaries_check(data, kelurahan=kelurahan)
    return " ".join(error.value.messages)


def test_good_shapes_are_loaded_and_replace_the_earlier_ones(cast, hadimulyo_barat):
    one, two = make_rt(hadimulyo_barat, rt="001"), make_rt(hadimulyo_barat, rt="002")
    data = collection(feature(square()), feature(square(LON + 0.003), rt="2"))
    assert services.boundaries_load(data, kelurahan=hadimulyo_barat, by=cast.staff) == 2
    moved = collection(feature(square(LON + 0.01)))
    services.boundaries_load(moved, kelurahan=hadimulyo_barat, by=cast.staff)
    assert Boundary.objects.count() == 2
    assert one.boundary.geometry["coordinates"][0][0] == [LON + 0.01, LAT]
    assert two.boundary.geometry == square(LON + 0.003)


def test_every_bad_feature_is_named_and_nothing_is_loaded(cast, hadimulyo_barat):
    make_rt(hadimulyo_barat, rt="001")
    bowtie = {"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 0.002, LAT + 0.002],
                                                  [LON + 0.002, LAT], [LON, LAT + 0.002],
                                                  [LON, LAT]]]}  # fmt: skip
    line = {"type": "LineString", "coordinates": [[LON, LAT], [LON + 0.001, LAT]]}
    jakarta = square(106.82, -6.17)
    data = collection(
        feature(square()),
        feature(line, rt="2"),
        feature(bowtie, rt="3"),
        feature(jakarta, rt="4"),
        feature(square(LON + 0.004), rt="55"),
    )
    text = refused(data, hadimulyo_barat)
    assert "Fitur 2: LineString bukan wilayah" in text
    assert "Fitur 3: bentuknya tidak sah (Self-intersection" in text
    assert "Fitur 4: letaknya di luar Kota Metro" in text
    assert "Fitur 5: RT 055/RW 001 bukan RT Hadimulyo Barat" in text
    with pytest.raises(ValidationError):
        services.boundaries_load(data, kelurahan=hadimulyo_barat, by=cast.staff)
    assert not Boundary.objects.exists()


def test_a_file_that_is_not_geojson_or_too_large_is_refused(hadimulyo_barat, settings):
    assert "bukan GeoJSON" in refused(b"\x89PNG not json", hadimulyo_barat)
    assert "FeatureCollection" in refused(json.dumps(square()).encode(), hadimulyo_barat)
    settings.BOUNDARY_MAX_BYTES = 100
    assert "paling besar" in refused(collection(feature(square())), hadimulyo_barat)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_coordinate_that_is_not_a_number_is_refused(cast, hadimulyo_barat, number):
    make_rt(hadimulyo_barat, rt="001")
    data = collection(feature(square())).replace(str(LON).encode(), number.encode(), 1)
    assert "NaN atau Infinity" in refused(data, hadimulyo_barat)
    with pytest.raises(ValidationError):
        services.boundaries_load(data, kelurahan=hadimulyo_barat, by=cast.staff)
    assert not Boundary.objects.exists()


def test_only_the_checked_shape_is_stored_not_what_else_the_file_sent(cast, hadimulyo_barat):
    rt = make_rt(hadimulyo_barat, rt="001")
    padded = {**square(), "bbox": [0, 0, 1, 1], "junk": "x" * 100_000}
    services.boundaries_load(collection(feature(padded)), kelurahan=hadimulyo_barat, by=cast.staff)
    rt.refresh_from_db()
    assert rt.boundary.geometry == square()


def test_staff_load_boundaries_on_the_page_and_the_map_draws_them(cast, hadimulyo_barat, client):
    make_rt(hadimulyo_barat, rt="001")
    client.force_login(cast.staff)
    url = reverse("slums:boundaries")
    bad = SimpleUploadedFile("batas.geojson", collection(feature(square(106.8, -6.1))))
    response = client.post(url, {"kelurahan": hadimulyo_barat.pk, "file": bad})
    assert response.status_code == 400 and "di luar Kota Metro" in response.content.decode()
    good = SimpleUploadedFile("batas.geojson", collection(feature(square())))
    response = client.post(
        url, {"kelurahan": hadimulyo_barat.pk, "file": good, "illustrative": "on"}, follow=True
    )
    page = response.content.decode()
    assert "1 batas wilayah Hadimulyo Barat dimuat" in page
    assert 'id="slum-map"' in page and "sketsa ilustrasi" in page
    client.force_login(cast.worker)
    assert client.post(url, {"kelurahan": hadimulyo_barat.pk}).status_code == 403


# Any JSON a file could hold, nested as deep as a hostile one likes.
json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=40,
)
hostile_features = st.lists(
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "geometry": json_values | st.fixed_dictionaries(
            {"type": st.sampled_from(["Polygon", "MultiPolygon", "Point"]),
             "coordinates": json_values})},
        optional={"properties": json_values},
    ),
    min_size=1,
    max_size=4,
)  # fmt: skip


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(features=hostile_features)
def test_any_hostile_geojson_is_refused_with_a_message_never_an_error(features, hadimulyo_barat):
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    try:
        services.boundaries_check(data, kelurahan=hadimulyo_barat)
    except ValidationError as error:
        # Each feature's problem by its number; a NaN or Infinity anywhere: the whole file's.
        for message in error.messages:
            assert message.startswith("Fitur ") or "NaN atau Infinity" in message


def test_a_file_nested_too_deep_is_refused(hadimulyo_barat):
    assert "bukan GeoJSON" in refused(b"[" * 100_000 + b"]" * 100_000, hadimulyo_barat)
