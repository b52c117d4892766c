"""Helpers every app's tests share: what a refusal said, how many queries a page took, logging
in through the browser as a user does."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

PASSWORD = "rahasia-uji"  # every test user's (tests/factories.py)


def messages_of(caught):
    """The messages of a ValidationError caught by pytest.raises, as the user reads them."""
    return [str(message) for message in caught.value.messages]


def first_in_admin(model_admin):
    """The first record (by key) an admin list shows a superuser."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_active=True)
    return model_admin.get_queryset(request).order_by("pk").first()


def queries_for(client, url):
    """How many queries a page took to answer 200."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def log_in(page, url, username, *, landing=None):
    """Log in on the login page at `url` (a live server's) as a person does; `landing`: a locator
    that shows the page after it (the navigation's "Keluar" by default)."""
    from playwright.sync_api import expect

    page.context.clear_cookies()  # whoever was at this desk before has left
    page.goto(f"{url}/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    if landing is None:
        expect(page.locator("nav.navbar")).to_contain_text("Keluar")
    else:
        expect(landing).to_be_visible()
