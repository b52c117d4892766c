"""Real Chromium driven by Playwright against the live test server."""

import contextlib
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


class Gate:
    """The live server's requests and a browser test's end, kept apart.

    A page the test has closed may still have a request on its way (a script's last fetch); the
    test's end empties the database meanwhile, and on PostgreSQL the request's reads and the
    emptying's TRUNCATE wait for each other (a deadlock), on SQLite they would share one
    connection. So the test's end waits until no request is being answered, and a request that
    comes while the database is emptied waits until it is done. On SQLite the requests are also
    answered one at a time: there the server's threads share the test's one in-memory connection
    (Django's LiveServerThread), on which requests sent at once — the service worker's, a page's
    — could interleave their transactions and hang; PostgreSQL gives each thread a connection of
    its own."""

    def __init__(self):
        self.changed = threading.Condition()
        self.answering = 0
        self.closed = False
        self.one_at_a_time = None

    def wrap(self, app, one_at_a_time):
        self.one_at_a_time = threading.Lock() if one_at_a_time else None

        def answer(environ, start_response):
            with self.changed:
                self.changed.wait_for(lambda: not self.closed)
                self.answering += 1
            try:
                if self.one_at_a_time is None:
                    return app(environ, start_response)
                with self.one_at_a_time:
                    return app(environ, start_response)
            finally:
                with self.changed:
                    self.answering -= 1
                    self.changed.notify_all()

        return answer

    @contextlib.contextmanager
    def shut(self, seconds=30):
        with self.changed:
            self.closed = True
            self.changed.wait_for(lambda: self.answering == 0, timeout=seconds)
        try:
            yield
        finally:
            with self.changed:
                self.closed = False
                self.changed.notify_all()


GATE = Gate()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, behind the gate above."""
    from django.db import connection

    server = live_server.thread.httpd
    server.set_app(GATE.wrap(server.get_app(), one_at_a_time=connection.vendor == "sqlite"))
    return live_server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with GATE.shut():
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
