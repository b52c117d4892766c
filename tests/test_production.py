"""The production set-up for real: gunicorn with production settings, whitenoise, /health/,
HTTPS behind a proxy, a Content-Security-Policy, no caching of personal pages, redacted logs."""

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from participants.models import Participant
from tests import servers
from tests.factories import as_form_data, participant_fields

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A throwaway SQLite database as `migrate` leaves it, static files collected, gunicorn."""
    base = tmp_path_factory.mktemp("prod")
    port = servers.free_port()
    env = servers.production_env(base, port)
    manage = [sys.executable, "manage.py"]
    servers.migrated_sqlite(base / "db.sqlite3", tmp_path_factory, env)
    env["DJANGO_STATIC_ROOT"] = servers.collected_static(tmp_path_factory, env)
    deploy = subprocess.run(
        manage + ["check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    benchmarks = subprocess.run(
        manage + ["generate_scale_data", "--participants", "10"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    log = open(base / "gunicorn.log", "w+")  # noqa: SIM115 - read after the server stops
    url = f"http://127.0.0.1:{port}"
    with servers.stopped_after([]) as started:
        started.append(servers.gunicorn(env, log))
        servers.wait_until_up(url + "/health/", started[0])
        yield {"url": url, "deploy": deploy, "log": log, "benchmarks": benchmarks}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url, headers=None):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        return opener.open(request, timeout=5)
    except urllib.error.HTTPError as error:
        return error


def test_check_deploy_is_clean_with_production_settings(production):
    assert production["deploy"].returncode == 0, production["deploy"].stderr
    assert "no issues" in production["deploy"].stdout


def test_the_benchmarks_tools_are_not_installed_in_production(production):
    # The synthetic-data writer and the page benchmark are development tools (benchmarks/).
    assert production["benchmarks"].returncode == 1
    assert "Unknown command: 'generate_scale_data'" in production["benchmarks"].stderr


def test_health_answers_over_plain_http_after_asking_the_database(production):
    response = get(production["url"] + "/health/")
    assert response.status == 200
    assert response.read() == b"ok\n"


def test_pages_redirect_to_https_unless_the_proxy_says_the_request_was_https(production):
    plain = get(production["url"] + "/masuk/")
    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://")
    proxied = get(production["url"] + "/masuk/", {"X-Forwarded-Proto": "https"})
    assert proxied.status == 200
    assert "max-age=31536000" in proxied.headers["Strict-Transport-Security"]
    policy = proxied.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert proxied.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in proxied.headers["Permissions-Policy"]
    assert "geolocation=()" in proxied.headers["Permissions-Policy"]


def test_the_language_cookie_is_secure_in_production(production):
    answer = get(production["url"] + "/masuk/", {"X-Forwarded-Proto": "https"})
    token = answer.read().decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    cookie = next(c for c in answer.headers.get_all("Set-Cookie") if "csrftoken" in c)
    cookie = cookie.split(";")[0]
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        production["url"] + "/i18n/setlang/",
        data=f"language=en&csrfmiddlewaretoken={token}".encode(),
        headers={
            "X-Forwarded-Proto": "https",
            "Cookie": cookie,
            "Referer": production["url"].replace("http:", "https:") + "/masuk/",
        },
    )
    try:
        response = opener.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        response = error
    cookies = response.headers.get_all("Set-Cookie") or []
    language = [c for c in cookies if "django_language" in c]
    assert language, response.headers
    assert "Secure" in language[0] and "HttpOnly" in language[0]


def test_static_files_are_served_compressed_with_hashed_names(production):
    page = get(production["url"] + "/masuk/", {"X-Forwarded-Proto": "https"}).read().decode()
    css = next(part.split('"')[0] for part in page.split('href="') if ".css" in part[:80])
    assert "/static/vendor/bootstrap/bootstrap.min." in css and css.count(".") >= 3
    response = get(
        production["url"] + css, {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert response.headers["Content-Encoding"] in ("gzip", "br")
    assert "immutable" in response.headers["Cache-Control"]


def test_a_first_visit_downloads_little_on_a_phone(production):
    """The log-in page with everything it loads, as a phone receives it compressed."""
    headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "br, gzip"}
    page = get(production["url"] + "/masuk/", headers)
    html = page.read()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html.decode())
    assert not any("bootstrap.bundle" in asset for asset in assets)  # no JavaScript framework
    total = len(html)
    for asset in assets:
        response = get(production["url"] + asset, headers)
        assert response.headers["Content-Encoding"] in ("gzip", "br"), asset
        total += len(response.read())
    assert total < 50_000, total  # about 310 KB before static files were compressed


def test_the_access_log_masks_a_nik_in_the_request_line(production):
    get(production["url"] + "/health/?q=1872011208850003", {"X-Forwarded-Proto": "https"})
    get(production["url"] + "/health/?q=1872+0112+0885+0003")
    get(production["url"] + "/health/?q=1872-0112-0885-0004")
    time.sleep(0.3)
    production["log"].seek(0)
    written = production["log"].read()
    assert "/health/?q=1872" in written
    assert "1872011208850003" not in written and "0112+0885" not in written
    assert "0112-0885" not in written


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored_and_errors_speak_indonesian(client, social_worker):
    client.force_login(social_worker)
    response = client.get(reverse("home"))
    assert response["Cache-Control"] == "no-store"
    missing = client.get("/kelompok/999999/")
    assert missing.status_code == 404
    assert "Halaman tidak ditemukan" in missing.content.decode()
    refused = client.get(reverse("programme:kelurahan", args=["1872051001"]))
    assert refused.status_code == 403
    assert "Anda tidak boleh membuka halaman ini" in refused.content.decode()


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_it_is_read(client, social_worker, settings):
    client.force_login(social_worker)
    settings.MAX_REQUEST_BODY_SIZE = 1024
    response = client.post(reverse("participants:participant_list"), {"q": "x" * 5000})
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()


@pytest.mark.django_db
def test_two_million_characters_in_a_note_are_refused_and_nothing_is_stored(
    client, social_worker, hadimulyo_barat
):
    client.force_login(social_worker)
    data = as_form_data(participant_fields(hadimulyo_barat, notes="x" * 2_000_000))
    response = client.post(reverse("participants:participant_create"), data)
    assert response.status_code == 200
    assert "paling banyak 2000 karakter" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_server_process_keeps_what_it_loaded_out_of_the_collectors_full_passes():
    """Once loaded, a server process's settings, apps and models are frozen for the garbage
    collector, whose full passes otherwise pause a request for tens of milliseconds."""
    import gc
    import importlib

    import metro_slum.wsgi

    gc.unfreeze()
    try:
        importlib.reload(metro_slum.wsgi)
        assert gc.get_freeze_count() > 20_000
    finally:
        gc.unfreeze()
