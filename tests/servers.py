"""Servers a test module starts itself (gunicorn with production settings): waited for on a
deadline that tolerates a slow first answer, and always stopped, even when the set-up fails."""

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# A busy machine (the other database's suite, two CPU-bound jobs) can take many seconds to
# import the project in a new worker and answer its first request.
START_SECONDS = 90
FIRST_ANSWER_SECONDS = 20


def wait_until_up(url: str, process: subprocess.Popen, deadline: float = START_SECONDS) -> None:
    """Return once `url` answers; fail with the reason if the server died or never answered."""
    ends = time.monotonic() + deadline
    last = None
    while time.monotonic() < ends:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}) before answering")
        try:
            urllib.request.urlopen(url, timeout=FIRST_ANSWER_SECONDS).close()
            return
        except urllib.error.HTTPError:
            return  # it answered
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
            last = error
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {deadline} s: {last}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextlib.contextmanager
def stopped_after(processes: list):
    """Stop every process started into `processes`, however the block ends."""
    try:
        yield processes
    finally:
        for process in processes:
            stop(process)


ROOT = Path(__file__).resolve().parent.parent


def migrated_sqlite(target: Path, tmp_path_factory, env: dict) -> None:
    """Write at `target` a SQLite database as `manage.py migrate` leaves it.

    Migrated once per run, by whichever worker asks first, and copied: the migrations take 17 s
    on this machine, and the modules that start servers of their own each need such a database.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    template = shared / "migrated.sqlite3"
    with open(shared / "migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = template.with_suffix(".building")
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT, env={**env, "DATABASE_URL": f"sqlite:///{building}"},
                check=True, capture_output=True,
            )  # fmt: skip
            building.rename(template)
    shutil.copyfile(template, target)
