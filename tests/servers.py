"""Servers a test module starts itself (gunicorn with production settings): waited for on a
deadline that tolerates a slow first answer, and always stopped, even when the set-up fails."""

import contextlib
import subprocess
import time
import urllib.error
import urllib.request

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
