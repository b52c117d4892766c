import pytest

from tests.grants.helpers import Cast, ready_group


@pytest.fixture
def cast(hadimulyo_barat):
    return Cast(hadimulyo_barat)


@pytest.fixture
def group(cast, hadimulyo_barat):
    return ready_group(cast, hadimulyo_barat)


@pytest.fixture
def worker_client(client, cast):
    client.force_login(cast.worker)
    return client
