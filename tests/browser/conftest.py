"""Real Chromium driven by Playwright against the live test server."""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import put_back_reference_data

CHROMIUM = Path("/usr/bin/chromium")

# An expectation waits as long as an action does (10 s; Playwright's default is 5 s): the pages
# answer slower under coverage or beside the other worker's accessibility sweep, not wrongly.
expect.set_options(timeout=10_000)

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) would otherwise be refused as "async unsafe". Browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Put back what migrations create before each test.

    A transactional test empties the database when it ends. Django's serialized rollback cannot
    restore it here: Playwright's sync API switches context, and the connection that holds the
    serialized copy is not the one the next test sees.
    """
    put_back_reference_data()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server; on SQLite it answers one request at a time. There its
    threads share the test's one in-memory connection (Django's LiveServerThread), on which
    requests sent at once — the service worker's, a page's — could interleave their
    transactions and hang; PostgreSQL gives each thread a connection of its own."""
    from django.db import connection

    if connection.vendor == "sqlite":
        server = live_server.thread.httpd
        server.set_app(_one_at_a_time(server.get_app()))
    return live_server


# Held on SQLite while the live server answers a request, and while a browser test's database is
# emptied after it: a request still on its way from a page the test has closed is answered before
# the emptying starts, not on the same connection at the same time.
ANSWERING = threading.Lock()


def _one_at_a_time(app):
    def answer(environ, start_response):
        with ANSWERING:
            return app(environ, start_response)

    return answer


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with ANSWERING:
        return (yield)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here but /usr/bin/chromium is missing")
        pytest.skip(
            "browser tests need Debian's chromium at /usr/bin/chromium (.ci/run installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _page(chromium, width, height, service_workers="block"):
    """A page that fails its test if the Content-Security-Policy refused anything on it.

    The portal's service worker (offline use) is kept out unless a test asks for it: it keeps
    the worker's pages on the phone in the background, which the other tests need not wait for."""
    context = chromium.new_context(
        viewport={"width": width, "height": height},
        locale="id-ID",
        service_workers=service_workers,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert refused == [], refused


@pytest.fixture
def phone(chromium):
    """A page the size of a small phone screen (360 px wide)."""
    yield from _page(chromium, 360, 740)


@pytest.fixture
def field_phone(chromium):
    """A 360 px phone with the portal's service worker: pages kept, forms queued offline."""
    yield from _page(chromium, 360, 740, service_workers="allow")


@pytest.fixture
def desk(chromium):
    """A page the size of an office screen (1280 × 800)."""
    yield from _page(chromium, 1280, 800)
