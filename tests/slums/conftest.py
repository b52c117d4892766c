import datetime
from decimal import Decimal

import pytest

from participants.models import RT, RW
from slums import services
from slums.models import SubCriterion

TOTALS = {
    "households": 40,
    "buildings": 38,
    "area_ha": Decimal("4.00"),
    "road_length_m": 500,
    "drainage_length_m": 400,
    "road_ideal_length_m": 780,
    "drainage_ideal_length_m": 500,
}


def make_rt(kelurahan, rw="001", rt="001", **totals):
    place, _created = RW.objects.get_or_create(kelurahan=kelurahan, code=rw)
    return RT.objects.create(rw=place, code=rt, **{**TOTALS, **totals})


def survey_of(rt, worker, counts: dict, *, on=datetime.date(2025, 8, 12), totals=None):
    """A survey of `rt` with the counts by sub-criterion code (0 for the ones not named)."""
    survey = services.survey_begin(
        rt=rt, by=worker, surveyed_on=on, surveyor="Tim Pokja", totals=totals or TOTALS
    )
    subs = SubCriterion.objects.order_by("code")
    services.survey_answers(
        survey=survey,
        by=worker,
        counts={sub: (Decimal(str(counts.get(sub.code, 0))), "") for sub in subs},
    )
    survey.refresh_from_db()
    return survey


def reviewed(survey, cast):
    services.survey_step(survey=survey, by=cast.worker, step="submit")
    return services.survey_step(survey=survey, by=cast.supervisor, step="review")


@pytest.fixture
def rt(hadimulyo_barat):
    return make_rt(hadimulyo_barat)
