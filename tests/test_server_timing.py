"""Where a request's time goes: the Server-Timing header the load benchmark reads, off unless
DJANGO_SERVER_TIMING is set (it tells a visitor how long the database took)."""

import pytest
from django.conf import settings
from django.test import override_settings

from benchmarks.load import server_timing

TIMING = "metro_slum.middleware.ServerTiming"


def test_the_office_server_sends_no_timings():
    assert TIMING not in settings.MIDDLEWARE


@pytest.mark.django_db
def test_a_page_says_its_app_cpu_and_database_time(worker_client):
    with override_settings(MIDDLEWARE=[TIMING, *settings.MIDDLEWARE]):
        response = worker_client.get("/")
    assert response.status_code == 200
    timing = server_timing(response["Server-Timing"])
    assert set(timing) == {"app", "cpu", "db", "queries", "session"}
    # The home page reads the database: its queries are counted and their time is in the app's.
    assert timing["queries"] > 0
    assert 0 < timing["db"] <= timing["app"]
