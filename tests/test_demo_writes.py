"""The demo's SQLite under simultaneous writes: thirty residents send a complaint at the same
moment to the server `make demo` starts (Django's threaded server, on a SQLite file); each is
saved or answered 429, none is lost to "database is locked"."""

import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import servers
from tests.visitors import Visitor

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parent.parent
RESIDENTS = 30


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo-writes")
    port = servers.free_port()
    database = base / "db.sqlite3"
    env = servers.app_env(
        DJANGO_DEBUG="true",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_MEDIA_ROOT=str(base / "media"),
    )
    servers.migrated_sqlite(database, tmp_path_factory, env)
    log = open(base / "server.log", "w+")  # noqa: SIM115 - read after the server stops
    command = [sys.executable, "manage.py", "demo_server", "--noreload", f"127.0.0.1:{port}"]
    with servers.stopped_after([]) as started:
        started.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        )
        servers.wait_until_up(f"http://127.0.0.1:{port}/health/", started[0])
        yield {"port": port, "database": database, "log": log}


def test_thirty_simultaneous_complaints_are_each_saved_or_refused_never_lost(demo_server):
    residents = [Visitor(f"127.0.0.{100 + n}", demo_server["port"]) for n in range(RESIDENTS)]
    start = threading.Barrier(RESIDENTS)

    def complain(resident):
        token = resident.csrf_token("/pengaduan/")
        start.wait(timeout=60)  # every form filled, then all sent at once
        return resident.send_complaint(token)

    with ThreadPoolExecutor(RESIDENTS) as pool:
        answers = list(pool.map(complain, residents))
    with sqlite3.connect(demo_server["database"]) as database:
        (saved,) = database.execute("SELECT COUNT(*) FROM complaints_complaint").fetchone()
    assert set(answers) <= {302, 429}, answers
    assert saved == answers.count(302) > 0
