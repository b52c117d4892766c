"""Servers a test module starts itself (gunicorn with production settings): waited for on a
deadline that tolerates a slow first answer, and always stopped, even when the set-up fails."""

import contextlib
import fcntl
import os
import shutil
import socket
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


def _once_per_run(tmp_path_factory, name: str, build) -> Path:
    """The run's one `name` under its base folder, built by whichever worker asks first."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    made = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            building = made.with_name(name + ".building")
            build(building)
            building.rename(made)
    return made


def migrated_sqlite(target: Path, tmp_path_factory, env: dict) -> None:
    """Write at `target` a SQLite database as `manage.py migrate` leaves it.

    Migrated once per run, by whichever worker asks first, and copied: the migrations take 17 s
    on this machine, and the modules that start servers of their own each need such a database.
    """

    def migrate(building: Path) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT, env={**env, "DATABASE_URL": f"sqlite:///{building}"},
            check=True, capture_output=True,
        )  # fmt: skip

    shutil.copyfile(_once_per_run(tmp_path_factory, "migrated.sqlite3", migrate), target)


def collected_static(tmp_path_factory, env: dict) -> str:
    """The static files as `collectstatic` leaves them for production, collected once per run."""

    def collect(building: Path) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT, env={**env, "DJANGO_STATIC_ROOT": str(building)},
            check=True, capture_output=True,
        )  # fmt: skip

    return str(_once_per_run(tmp_path_factory, "static", collect))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(**settings: str) -> dict:
    """This process's environment without its application settings, then `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {**env, "DJANGO_SETTINGS_MODULE": "metro_slum.settings", **settings}


def production_env(base: Path, port: int, **extra: str) -> dict:
    """The environment of the application with production settings, its files under `base`,
    a SQLite database there (the one-worker trial production allows when told so)."""
    env = app_env(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="test-only-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,dinsos.example.go.id",
        DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}",
        DJANGO_SQLITE_ONE_WORKER="true",
        DJANGO_STATIC_ROOT=str(base / "static"),
        DJANGO_MEDIA_ROOT=str(base / "media"),
        PORT=str(port),
    )
    return {**env, **extra}


def gunicorn(env: dict, log, workers: int = 1) -> subprocess.Popen:
    """Gunicorn as `make serve` starts it (metro_slum/gunicorn.conf.py), its output into `log`."""
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "metro_slum/gunicorn.conf.py",
         "--workers", str(workers), "metro_slum.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
