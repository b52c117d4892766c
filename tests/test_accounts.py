"""Password guessing is stopped, failures recorded, sessions short, and forgetting has a page."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji"


@pytest.mark.parametrize(("url", "button"), [("login", "Masuk"), ("admin:login", None)])
def test_five_wrong_passwords_lock_the_account_for_that_address(client, url, button):
    UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    login_url = reverse(url)
    statuses = [
        client.post(login_url, {"username": "kasi", "password": "salah-sandi"}).status_code
        for _ in range(5)
    ]
    # The first four are refused with the form again; the fifth locks the account.
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(login_url, {"username": "kasi", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Terlalu banyak kata sandi salah" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username="kasi").count() >= 5
    assert AccessAttempt.objects.get(username="kasi").failures_since_start >= 5


def test_another_user_on_the_same_device_is_not_locked(client):
    UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    UserFactory(username="staf", is_staff=True, roles=["Staf Administrasi"])
    for _ in range(6):
        client.post(reverse("login"), {"username": "kasi", "password": "salah-sandi"})
    ok = client.post(reverse("login"), {"username": "staf", "password": PASSWORD})
    assert ok.status_code == 302


def test_a_right_password_before_the_limit_resets_the_count(client):
    UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    for _ in range(4):
        client.post(reverse("login"), {"username": "kasi", "password": "salah-sandi"})
    assert (
        client.post(reverse("login"), {"username": "kasi", "password": PASSWORD}).status_code == 302
    )


def test_sessions_end_after_thirty_idle_minutes_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_short_and_common_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("metro123", "1234567890", "password123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Sekar-Arum-Jamu-2026")


def test_the_login_page_says_whom_to_ask_for_a_forgotten_password(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_help") in page
    help_page = client.get(reverse("password_help")).content.decode()
    assert "Minta administrator program" in help_page
