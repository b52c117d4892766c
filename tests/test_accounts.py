"""Password guessing is stopped, failures recorded, sessions short, and forgetting has a page."""

import datetime
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgramFactory, UserFactory

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


def test_sessions_end_after_thirty_idle_minutes_and_at_browser_close(client, social_worker):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client.force_login(social_worker)
    client.get(reverse("home"))
    session = Session.objects.get()
    # Each page (at most once a minute) moves the end 30 minutes ahead of now.
    left = (session.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < left <= 30 * 60
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("home")).status_code == 302  # back to the login page


def test_short_and_common_passwords_are_refused():
    for weak in ("metro123", "1234567890", "password123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Sekar-Arum-Jamu-2026")


def test_the_login_page_says_whom_to_ask_for_a_forgotten_password(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_help") in page
    help_page = client.get(reverse("password_help")).content.decode()
    assert "Minta administrator program" in help_page


def test_the_budget_is_set_by_staff_not_by_the_supervisors_who_approve(client):
    program = ProgramFactory()
    supervisor = UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    staff = UserFactory(username="staf", is_staff=True, roles=["Staf Administrasi"])
    assert not supervisor.has_perm("participants.change_program")
    assert not staff.has_perm("grants.decide_grant")
    url = reverse("admin:participants_program_change", args=[program.pk])
    data = {
        "name": program.name,
        "year": program.year,
        "start_date": "2026-07-01",
        "end_date": "2026-12-31",
        "total_budget": "500000000",
        "grant_ceiling_per_group": "90000000",
        "is_active": "on",
        "max_desil": "2",
        "min_age": "18",
        "max_age": "59",
        "excluded_occupations": "PNS, TNI, Polri, pensiunan",
    }
    client.force_login(supervisor)
    assert client.post(url, data).status_code == 403
    program.refresh_from_db()
    assert program.total_budget == Decimal(100_000_000)

    client.force_login(staff)
    assert client.post(url, data).status_code == 302
    program.refresh_from_db()
    assert program.grant_ceiling_per_group == Decimal(90_000_000)
    latest, before = program.history.order_by("-history_date")[:2]
    assert latest.history_user == staff
    assert (before.total_budget, latest.total_budget) == (
        Decimal(100_000_000),
        Decimal(500_000_000),
    )


def test_the_login_cookie_ends_with_the_browser(client):
    UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    client.post(reverse("login"), {"username": "kasi", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie.value and cookie["max-age"] == "" and cookie["expires"] == ""
