import pytest

from families.models import AidKind


@pytest.fixture
def kinds(db):
    """The office's kinds of aid, as the data migration leaves them."""
    return {kind.name: kind for kind in AidKind.objects.all()}
