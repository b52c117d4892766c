import importlib
import shutil
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from participants import services
from participants.models import Membership
from tests.factories import GroupFactory, ParticipantFactory, UserFactory, _kelurahan


def pytest_itemcollected(item):
    """Marked as each test is collected, before `-m` chooses (make test-fast)."""
    if "/tests/browser/" in str(item.path):
        item.add_marker(pytest.mark.browser)
    elif PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.process)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark the browser tests and the tests that start a program of their own (`make test-fast`
    leaves both out), and run the browser tests last: each ends by emptying the database. Last
    of the hooks, after pytest-randomly's shuffle and pytest-django's grouping."""
    _demo_modules_use_it_throughout(items)
    items.sort(key=lambda item: "/tests/browser/" in str(item.path))


def put_back_reference_data():
    """What migrations create: permissions, role groups, kelurahan, kinds of aid, the slum
    survey's method (criteria, sub-criteria and the guideline's bands), the complaints' deadlines
    (tests/test_reference_data.py holds this list against the migrations)."""
    from django.apps import apps
    from django.core.management.sql import emit_post_migrate_signal

    from participants.models import Kecamatan, Kelurahan
    from participants.regions import load_regions

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    load_regions(Kecamatan, Kelurahan)
    importlib.import_module("families.migrations.0002_aid_kinds").add_kinds(apps, None)
    importlib.import_module("slums.migrations.0002_seed_method").seed(apps, None)
    importlib.import_module("complaints.migrations.0002_seed_deadlines").seed(apps, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test empties the database as it ends (a browser test, a test of parallel
    transactions): what migrations create is put back before a test that expects it, so that it
    finds the database as migrations left it, whatever the order and whichever worker runs it.
    A test with Django's serialized rollback writes back the rows of the migrated database as
    they were, ids included: it starts from an empty database."""
    try:
        return (yield)
    finally:
        if nextitem is not None:
            _prepare_the_database_for(nextitem, after=item)


def _prepare_the_database_for(item, after):
    from pytest_django.plugin import blocking_manager_key

    from participants.models import Kelurahan

    marker = item.get_closest_marker("django_db")
    serialized = marker is not None and marker.kwargs.get("serialized_rollback")
    with item.config.stash[blocking_manager_key].unblock():
        if serialized:
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        elif (
            _empties_the_database(after)
            and not _empties_the_database(item)
            and not Kelurahan.objects.exists()
        ):
            put_back_reference_data()


def _empties_the_database(item):
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return bool(transactional or {"transactional_db", "live_server"} & set(item.fixturenames))


# Fixtures that start a program beside the test: LibreOffice, gunicorn with production settings,
# two app servers with an S3-compatible store. The modules that start workers mark themselves.
PROCESS_FIXTURES = {"libreoffice", "production", "servers", "object_store"}


def _demo_modules_use_it_throughout(items):
    """The demo is loaded once for a module (`demo` below): a test of the same module that does
    not ask for it would still find it there, so such a module asks for it in every database
    test, or the run stops here naming the test."""
    by_module = {}
    for item in items:
        by_module.setdefault(item.path, []).append(item)
    for module_items in by_module.values():
        names = [set(getattr(item, "fixturenames", ())) for item in module_items]
        if not any("demo" in used for used in names):
            continue
        for item, used in zip(module_items, names, strict=True):
            uses_db = item.get_closest_marker("django_db") or {"db", "transactional_db"} & used
            if uses_db and "demo" not in used:
                raise pytest.UsageError(
                    f"{item.nodeid} uses the database in a module whose other tests load the "
                    "demo once for all: ask for `demo` too, or move the test to another module"
                )


@pytest.fixture
def session_refresh_off(monkeypatch):
    """A session is written again once a minute of requests (SessionIdleTimeout): a write that
    follows the clock, not the page. Tests that count a page's queries before and after a long
    set-up turn it off, or a slow machine passing the minute adds the session's write."""
    from metro_slum.middleware import SessionIdleTimeout

    monkeypatch.setattr(SessionIdleTimeout, "REFRESH_SECONDS", 10**9)


@pytest.fixture(autouse=True)
def _kept_figures_equal_a_recount(request):
    """After every test that uses the database, each kept figure (metro_slum.figures) equals a
    recount of its rows: a service that writes a counted row and forgets figures.changed() fails
    the tests that exercise it. The browser tests reach the same services through the pages."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db or "/tests/browser/" in str(request.path):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down after the check
    yield
    from metro_slum import figures

    assert figures.drift() == []


@pytest.fixture(autouse=True)
def _indonesian():
    """Users read Indonesian by default; tests assert the words they see."""
    with translation.override("id"):
        yield


@pytest.fixture
def hadimulyo_barat(db):
    return _kelurahan("1872011004")


@pytest.fixture
def karangrejo(db):
    return _kelurahan("1872021003")


@pytest.fixture
def group(db, hadimulyo_barat):
    """An empty group of Hadimulyo Barat in a programme of its own."""
    return GroupFactory(kelurahan=hadimulyo_barat)


def fill_group(group, count, **participant_fields):
    """Add `count` new members (chair, secretary, treasurer first) through the service."""
    officers = [Membership.Role.KETUA, Membership.Role.SEKRETARIS, Membership.Role.BENDAHARA]
    existing = group.memberships.count()
    members = []
    for index in range(existing, existing + count):
        role = officers[index] if index < len(officers) else Membership.Role.ANGGOTA
        participant = ParticipantFactory(kelurahan=group.kelurahan, **participant_fields)
        members.append(services.membership_add(group=group, participant=participant, role=role))
    return members


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def supervisor(cast):
    return cast.supervisor


@pytest.fixture
def admin_staff(cast):
    return cast.staff


@pytest.fixture
def social_worker(cast):
    """The social worker assigned to Hadimulyo Barat only."""
    return cast.worker


@pytest.fixture
def full_group(group):
    """The empty group with ten members, its chair, secretary and treasurer first."""
    fill_group(group, 10)
    return group


@pytest.fixture
def cast(hadimulyo_barat):
    """The people a group's cycle passes through (tests/cast.py), working in Hadimulyo Barat."""
    from tests.cast import Cast

    return Cast(hadimulyo_barat)


@pytest.fixture
def planned_group(cast, hadimulyo_barat):
    """A complete group of Hadimulyo Barat with a reviewed assessment (problem 1: economic) and a
    submitted action plan: where a grant starts."""
    from tests.cast import ready_group

    return ready_group(cast, hadimulyo_barat)


@pytest.fixture
def worker_client(client, social_worker):
    """The client logged in as the social worker of Hadimulyo Barat (the cast's worker)."""
    client.force_login(social_worker)
    return client


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for a test module, inside a transaction that stays open while the
    module runs: each test's own transaction is a savepoint in it, rolled back after the test, so
    every test meets the demo as `load_demo` left it. Rolled back when the module ends."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=media),
            translation.override("id"),
        ):
            call_command("load_demo", "--allow-without-debug", stdout=StringIO())
        yield media
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_of_the_module, db, settings):
    """The demo programme and pilot as `make demo` loads them, with their documents; the demo
    users by name. Loaded once per module (see above): a module that uses it uses it in every
    database test."""
    shutil.copytree(_demo_of_the_module, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return {user.username: user for user in get_user_model().objects.all()}
