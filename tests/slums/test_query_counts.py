"""The slum pages read a fixed number of queries whatever the number of RTs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from slums.models import Criterion, Work
from tests.slums.conftest import make_rt, reviewed, survey_of


@pytest.mark.django_db
def test_a_kelurahan_page_reads_the_same_number_of_queries_for_more_rts(
    cast, hadimulyo_barat, client, session_refresh_off
):
    from tests.conftest import fill_group
    from tests.factories import GroupFactory

    def add(count, start):
        for number in range(start, start + count):
            rt = make_rt(hadimulyo_barat, rw=f"{number % 3 + 1:03d}", rt=f"{number:03d}")
            reviewed(survey_of(rt, cast.worker, {"3a": 30, "1a": 20}), cast)
            group = GroupFactory(kelurahan=hadimulyo_barat, name=f"Kelompok {number}")
            fill_group(group, 2, rw=rt.rw.code, rt=rt.code)
            Work.objects.create(
                rt=rt,
                criterion_id=Criterion.objects.get(number=4).pk,
                what="Drainase",
                delivered_by="Dinas PUPR",
                completed_on=datetime.date(2026, 1, 5),
            )

    client.force_login(cast.worker)
    url = reverse("slums:place", args=[hadimulyo_barat.code])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(2, 1)
    small = queries()
    add(8, 3)
    assert queries() == small


@pytest.mark.django_db
def test_the_summary_and_the_trend_report_read_the_same_number_of_queries_for_more_rts(
    cast, hadimulyo_barat, client, session_refresh_off
):
    def add(count, start):
        for number in range(start, start + count):
            rt = make_rt(hadimulyo_barat, rw=f"{number % 3 + 1:03d}", rt=f"{number:03d}")
            reviewed(survey_of(rt, cast.worker, {"3a": 30}), cast)
            later = survey_of(rt, cast.worker, {"3a": 5}, on=datetime.date(2026, 8, 1))
            reviewed(later, cast)

    client.force_login(cast.supervisor)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    pages = (reverse("slums:index"), reverse("slums:report"))
    add(2, 1)
    small = [queries(url) for url in pages]
    add(8, 3)
    assert [queries(url) for url in pages] == small
