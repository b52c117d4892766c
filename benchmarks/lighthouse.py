"""Lighthouse (mobile) accessibility and best-practices scores of the key pages of a fresh demo.

The portal pages are served by the development server (as `make demo`), the admin grant list by
gunicorn with the production settings (as `make serve`), both over the same throwaway SQLite
database. Each user is logged in by a session made on the server's own database; Lighthouse
(from the npm registry, run with npx) uses Debian's Chromium. Prints one line per page.

Usage: .venv/bin/python benchmarks/lighthouse.py  (or `make bench-lighthouse`)
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "npx --yes lighthouse@12")
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own loopback server
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {seconds} s")


SESSION = """
from django.contrib.auth import get_user_model
from django.test import Client
from participants.models import ParticipantGroup
from tests.conftest import fill_group
import json
keys = {}
for name in ("pekerja", "supervisor"):
    client = Client()
    client.force_login(get_user_model().objects.get(username=name))
    keys[name] = client.cookies["sessionid"].value
# A group whose assessment is still a form, as a worker meets it after forming the group.
own = ParticipantGroup.objects.filter(kelurahan__code="1872011004").first()
fresh = ParticipantGroup.objects.create(
    name="Kelompok Baru", program=own.program, kelurahan=own.kelurahan, business_type="cakes"
)
fill_group(fresh, 10)
keys["own"], keys["fresh"] = own.pk, fresh.pk
print(json.dumps(keys))
"""


def scores(url, headers, out):
    command = LIGHTHOUSE.split() + [
        url,
        "--only-categories=accessibility,best-practices",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        f"--extra-headers={json.dumps(headers)}",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(Path(out).read_text())
    failing = [
        audit_id
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref["weight"] and (report["audits"][(audit_id := ref["id"])]["score"] or 0) < 1
    ]
    categories = report["categories"]
    return (
        round(categories["accessibility"]["score"] * 100),
        round(categories["best-practices"]["score"] * 100),
        failing,
    )


def main():
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}", DJANGO_LOG_LEVEL="WARNING")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    keys = json.loads(
        run([PYTHON, "manage.py", "shell", "-c", SESSION], env, capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    production = {
        **env,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "lighthouse-only-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "PORT": "8762",
    }
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], production)
    servers = [
        subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "127.0.0.1:8761", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "-c",
                "metro_slum/gunicorn.conf.py",
                "metro_slum.wsgi",
            ],
            cwd=ROOT,
            env=production,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        wait_for("http://127.0.0.1:8761/health/")
        wait_for("http://127.0.0.1:8762/health/")
        worker = {"Cookie": f"sessionid={keys['pekerja']}"}
        supervisor = {"Cookie": f"sessionid={keys['supervisor']}"}
        # Behind the office's proxy the request arrives as https: said so by the proxy's header.
        proxied = {**supervisor, "X-Forwarded-Proto": "https"}
        pages = [
            ("login page", "http://127.0.0.1:8761/masuk/", {}),
            ("worker's home", "http://127.0.0.1:8761/", worker),
            ("group page", f"http://127.0.0.1:8761/kelompok/{keys['own']}/", worker),
            (
                "editable assessment",
                f"http://127.0.0.1:8761/kelompok/{keys['fresh']}/asesmen/",
                worker,
            ),
            ("dashboard", "http://127.0.0.1:8761/program/", supervisor),
            ("admin grant list (make serve)", "http://127.0.0.1:8762/admin/grants/grant/", proxied),
        ]
        print(f"{'page':34} {'accessibility':>13} {'best practices':>15}  audits below 1")
        for number, (name, url, headers) in enumerate(pages):
            a11y, practices, failing = scores(url, headers, work / f"report-{number}.json")
            print(f"{name:34} {a11y:>13} {practices:>15}  {', '.join(failing) or '–'}")
    finally:
        for server in servers:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
