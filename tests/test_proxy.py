"""Behind a real reverse proxy, each visitor is their own address: nginx (Debian's package) on
loopback in front of gunicorn with production settings, configured with the proxy lines that
deploy/nginx.conf uses. Visitors are told apart by the loopback address they connect from
(127.0.0.x), as nginx sees them, and as the login lockout, the complaint form's limit and the
access log must see them too."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import servers
from tests.visitors import PASSWORD, Visitor

pytestmark = [pytest.mark.process, pytest.mark.usefixtures("nginx")]

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def nginx():
    if not Path(NGINX).exists():
        if os.environ.get("REQUIRE_NGINX"):
            pytest.fail("nginx is required here but missing")
        pytest.skip("needs nginx: apt-get install nginx-light (.ci/run does)")
    return NGINX


def nginx_config(base: Path, port: int, upstream: int) -> str:
    """One server on loopback, its location as deploy/nginx.conf's (the proxy lines included
    from deploy/nginx-proxy.conf, as the deployed site does)."""
    return f"""
daemon off;
pid {base}/nginx.pid;
error_log {base}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {base}/body;
    proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fastcgi;
    uwsgi_temp_path {base}/uwsgi;
    scgi_temp_path {base}/scgi;
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 20m;
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            include {ROOT}/deploy/nginx-proxy.conf;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, nginx):
    """gunicorn (production settings, one proxy in front) and nginx before it."""
    base = tmp_path_factory.mktemp("proxy")
    port, front = servers.free_port(), servers.free_port()
    env = servers.production_env(
        base, port,
        DJANGO_PROXY_COUNT="1",
        # The proxy speaks plain HTTP here: no certificate on loopback.
        DJANGO_SSL_REDIRECT="false",
        DJANGO_COMPLAINT_RATE="2/h",
    )  # fmt: skip
    servers.migrated_sqlite(base / "db.sqlite3", tmp_path_factory, env)
    env["DJANGO_STATIC_ROOT"] = servers.collected_static(tmp_path_factory, env)
    subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--noinput", "--username", "kepala",
         "--email", "kepala@example.go.id"],
        cwd=ROOT, env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}, check=True,
        capture_output=True,
    )  # fmt: skip
    (base / "nginx.conf").write_text(nginx_config(base, front, port))
    log = open(base / "gunicorn.log", "w+")  # noqa: SIM115 - read after the server stops
    with servers.stopped_after([]) as started:
        started.append(servers.gunicorn(env, log))
        servers.wait_until_up(f"http://127.0.0.1:{port}/health/", started[0])
        started.append(
            subprocess.Popen(
                [nginx, "-c", str(base / "nginx.conf"), "-p", str(base)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        )
        servers.wait_until_up(f"http://127.0.0.1:{front}/health/", started[1])
        yield {"front": front, "direct": port, "log": log}


def logged(log, text: str, seconds: float = 10) -> list[str]:
    """The log's lines once one holds `text` (gunicorn writes after it has answered)."""
    ends = time.monotonic() + seconds
    while True:
        log.seek(0)
        lines = log.read().splitlines()
        if any(text in line for line in lines) or time.monotonic() > ends:
            return lines
        time.sleep(0.1)


def test_residents_behind_the_proxy_each_have_their_own_limit(site):
    # Six residents, one complaint each, through the one proxy; the limit is two per address.
    answers = [Visitor(f"127.0.0.{n}", site["front"]).complain() for n in range(11, 17)]
    assert answers == [302] * 6
    # One resident's third complaint within the hour is refused: the limit still holds.
    resident = Visitor("127.0.0.11", site["front"])
    assert [resident.complain(), resident.complain()] == [302, 429]


def test_a_forged_forwarded_header_through_the_proxy_gains_nothing(site):
    visitor = Visitor("127.0.0.21", site["front"])
    answers = [visitor.complain({"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(1, 4)]
    assert answers == [302, 302, 429]


def test_a_direct_visitor_forging_the_header_gains_nothing(site):
    # Straight to gunicorn, not through the proxy: the header is not believed at all.
    visitor = Visitor("127.0.0.31", site["direct"])
    answers = [visitor.complain({"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(1, 4)]
    assert answers == [302, 302, 429]


def test_wrong_passwords_lock_the_guesser_out_not_the_colleague(site):
    guesser = Visitor("127.0.0.41", site["front"])
    # Four wrong passwords are answered with the form again; the fifth locks the pair out.
    assert [guesser.sign_in("salah-tebak") for _ in range(5)] == [200] * 4 + [429]
    # The guesser's address stays locked out, even with the right password…
    assert guesser.sign_in(PASSWORD) == 429
    # …but the head of office, signing in from elsewhere, is not.
    assert Visitor("127.0.0.42", site["front"]).sign_in(PASSWORD) == 302


def test_the_access_log_names_the_visitor_not_the_proxy(site):
    Visitor("127.0.0.51", site["front"]).request("GET", "/pengaduan/?dari=proksi")
    Visitor("127.0.0.52", site["direct"]).request(
        "GET", "/pengaduan/?dari=langsung", {"X-Forwarded-For": "192.0.2.99"}
    )
    lines = logged(site["log"], "dari=langsung")
    through_proxy = [line for line in lines if "dari=proksi" in line]
    direct = [line for line in lines if "dari=langsung" in line]
    assert through_proxy and all(line.startswith("127.0.0.51 ") for line in through_proxy)
    assert direct and all(line.startswith("127.0.0.52 ") for line in direct)
