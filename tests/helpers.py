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


def printed_pages(page) -> list[str]:
    """The page printed as Chromium prints it to A4 (print media), each sheet's text as a list."""
    import io

    from pypdf import PdfReader

    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    return [" ".join(sheet.extract_text().split()) for sheet in PdfReader(io.BytesIO(pdf)).pages]


def signed_with_its_text(sheets: list[str], signature: str, closing: str) -> bool:
    """Whether the sheet that holds the signature block (its label) also holds the closing words
    before it: signatures never stand alone on a sheet of their own."""
    signed = [sheet for sheet in sheets if signature in sheet]
    return bool(signed) and closing in signed[-1]
