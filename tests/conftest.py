import pytest
from django.utils import translation

from participants import services
from participants.models import Membership
from tests.factories import GroupFactory, ParticipantFactory, UserFactory, _kelurahan


def pytest_collection_modifyitems(items):
    """Run the browser tests last: each ends by emptying the database (see tests/browser)."""
    items.sort(key=lambda item: "/tests/browser/" in str(item.path))


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
