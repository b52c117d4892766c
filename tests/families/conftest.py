import pytest

from families.models import AidKind
from tests.grants.helpers import Cast, ready_group


@pytest.fixture
def cast(hadimulyo_barat):
    return Cast(hadimulyo_barat)


@pytest.fixture
def group(cast, hadimulyo_barat):
    """A complete group of Hadimulyo Barat with a reviewed assessment (problem 1: economic)."""
    return ready_group(cast, hadimulyo_barat)


@pytest.fixture
def kinds(db):
    """The office's kinds of aid, as the data migration leaves them."""
    return {kind.name: kind for kind in AidKind.objects.all()}
