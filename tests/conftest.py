import importlib
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from participants import services
from participants.models import DtsenSetting, Membership
from tests.factories import GroupFactory, ParticipantFactory, UserFactory, _kelurahan


def pytest_itemcollected(item):
    """Marked as each test is collected, before `-m` chooses (make test-fast)."""
    if "/tests/browser/" in str(item.path):
        item.add_marker(pytest.mark.browser)
    elif PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.process)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_use_migrations):
    """Built from the models (`--nomigrations`, as `make test` runs on SQLite), the test database
    lacks what data migrations write: it is put back, and the copy that serialized rollback
    restores is taken again with it."""
    if not django_db_use_migrations:
        from django.db import connection

        with django_db_blocker.unblock():
            put_back_reference_data()
            if hasattr(connection, "_test_serialized_contents"):
                # Django serializes the apps that have migrations: with them switched off, none.
                with override_settings(MIGRATION_MODULES={}):
                    connection._test_serialized_contents = (
                        connection.creation.serialize_db_to_string()
                    )


MIGRATIONS_SKIPPED = (
    "needs the database built by its migrations; runs without --nomigrations (.ci/run's "
    "PostgreSQL run)"
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Last of the hooks, after pytest-randomly's shuffle and pytest-django's grouping: the tests
    that ask for the same world (`world` below) run one after another, so that a worker builds it
    once, and the browser tests run last: each ends by emptying the database."""
    if config.getoption("nomigrations"):
        for item in items:
            if item.get_closest_marker("migrations"):
                item.add_marker(pytest.mark.skip(reason=MIGRATIONS_SKIPPED))
    for item in items:
        if _world_of(item) and _empties_the_database(item):
            raise pytest.UsageError(
                f"{item.nodeid} asks for {_world_of(item)}, built once in a transaction kept "
                "open for the tests that follow: a transactional test builds its own"
            )
    items.sort(key=_place_in_the_run)


def _place_in_the_run(item):
    # The worlds first: pytest-xdist hands each worker a contiguous share of the list and a
    # worker that runs out takes tests from the end of another's, so a row of tests at the start
    # stays whole on one worker. The browser tests last, the long ones first among them: the
    # tests taken at the end are short, and neither worker waits long for the other to finish.
    world = _world_of(item)
    browser = "/tests/browser/" in str(item.path)
    return (browser, world is None, world or "", item.get_closest_marker("long") is None)


def put_back_reference_data():
    """What migrations create: permissions, role groups, kelurahan, kinds of aid and their desil
    ranges, the slum
    survey's method (criteria, sub-criteria and the guideline's bands), the complaints' deadlines
    (tests/test_reference_data.py holds this list against the migrations)."""
    from django.apps import apps
    from django.core.management.sql import emit_post_migrate_signal

    from participants.models import Kecamatan, Kelurahan
    from participants.regions import load_regions

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    load_regions(Kecamatan, Kelurahan)
    importlib.import_module("families.migrations.0002_aid_kinds").add_kinds(apps, None)
    importlib.import_module("families.migrations.0006_dtsen_in_families").seed_ranges(apps, None)
    importlib.import_module("slums.migrations.0002_seed_method").seed(apps, None)
    importlib.import_module("slums.migrations.0005_kotaku_units").units(apps, None)
    importlib.import_module("slums.migrations.0008_english_names").english_names(apps, None)
    importlib.import_module("participants.migrations.0030_office_settings_record").office_record(
        apps, None
    )
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
        if nextitem is None or _world_of(nextitem) != _WORLD.name:
            _WORLD.leave(item.config.stash[blocking_manager_key])
        if nextitem is not None:
            _prepare_the_database_for(nextitem, after=item)


def _prepare_the_database_for(item, after):
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
def _office_settings_read_afresh():
    """The office's settings are read through the cache (SOLO_CACHE): a test's rolled-back
    record must not answer the next test. Each test starts from the defaults, as a new office
    does, already in the cache (so that query counts do not count the first read)."""
    caches[settings.SOLO_CACHE].clear()
    DtsenSetting(pk=DtsenSetting.singleton_instance_id).set_to_cache()
    yield
    caches[settings.SOLO_CACHE].clear()


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
    """Add `count` new members (chair, secretary, treasurer first) in one roster change through
    the service, as the group's roster form saves them."""
    officers = [Membership.Role.KETUA, Membership.Role.SEKRETARIS, Membership.Role.BENDAHARA]
    existing = group.memberships.count()
    additions = [
        services.MemberAddition(
            ParticipantFactory(kelurahan=group.kelurahan, **participant_fields),
            officers[index] if index < len(officers) else Membership.Role.ANGGOTA,
        )
        for index in range(existing, existing + count)
    ]
    return services.group_roster_update(group=group, add=additions)


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


class _World:
    """The rows a run of tests asks for, built once when the first of them starts and kept, in
    a transaction left open, while the next test asks for the same: each test's own transaction
    is a savepoint in it, rolled back after the test, so every test meets the world as it was
    built. Rolled back before a test that asks for another world or none."""

    builders = {}

    def __init__(self):
        self.name = self.built = self.media = self._outer = None

    def enter(self, name, blocker, tmp_path_factory):
        if self.name == name:
            return
        self.leave(blocker)
        media = tmp_path_factory.mktemp(name)
        with blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                with override_settings(MEDIA_ROOT=media), translation.override("id"):
                    built = self.builders[name]()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        self.name, self.built, self.media, self._outer = name, built, media, outer

    def leave(self, blocker):
        if self.name is None:
            return
        with blocker.unblock():
            transaction.set_rollback(True)
            self._outer.__exit__(None, None, None)
        self.name = self.built = self.media = self._outer = None


_WORLD = _World()


def _world_of(item):
    names = _World.builders.keys() & set(getattr(item, "fixturenames", ()))
    if len(names) > 1:
        raise pytest.UsageError(f"{item.nodeid} asks for two worlds: {sorted(names)}")
    return next(iter(names), None)


def world(build):
    """A fixture, named as `build`, of what `build()` writes and returns, built once for the
    tests in a row that ask for it (`_World`), its uploads copied to each test's media folder.
    What it returns is shared by those tests: a test reads its own copy of a record from the
    database before it changes one."""
    _World.builders[build.__name__] = build

    @pytest.fixture(name=build.__name__)
    def fixture(db, settings):
        assert _WORLD.name == build.__name__
        shutil.copytree(_WORLD.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        return _WORLD.built

    return fixture


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """The world is built before the test's own transaction begins (pytest-django's
    `_django_db_helper`, set up early by the `django_db` mark), so that it stays a savepoint."""
    if fixturedef.argname == "_django_db_helper" and (name := _world_of(request.node)):
        _WORLD.enter(
            name,
            request.getfixturevalue("django_db_blocker"),
            request.getfixturevalue("tmp_path_factory"),
        )
    return (yield)


@world
def demo_loaded():
    """The demo as `make demo` loads it; what the loader printed."""
    out = StringIO()
    call_command("load_demo", "--allow-without-debug", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(demo_loaded):
    """The demo programme and pilot as `make demo` loads them, with their documents; the demo
    users by name (read for each test)."""
    return {user.username: user for user in get_user_model().objects.all()}
