from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo programme and pilot, loaded as `make demo` loads them; the demo users by name."""
    call_command("load_demo", "--allow-without-debug", stdout=StringIO())
    return {user.username: user for user in get_user_model().objects.all()}
