"""A bounded load test against a running server: social workers browsing and saving, supervisors
reading the desk and deciding. Prints requests/s, p50/p95/p99 and errors.

    python benchmarks/load.py http://127.0.0.1:8765 --users 20 --seconds 60

Only loopback addresses are accepted. Users start over the first --ramp seconds and log in once
with the demo accounts (a login is deliberately slow: PBKDF2), then loop over their journey with a
pause of --think seconds (random, 1 to 3 by default) between pages, as a person reads a page before
the next click; each user stops by itself when the time is up. Logins are not counted.
"""

import argparse
import http.cookiejar
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "metro-demo"  # noqa: S105 - the demo accounts' published password
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class User:
    def __init__(self, base, username):
        self.base = base
        self.username = username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base + path)
        started = time.perf_counter()
        self.server = {}
        try:
            with self.opener.open(request, timeout=30) as response:
                text = response.read().decode("utf-8", "replace")
                status = response.status
                self.server = server_timing(response.headers.get("Server-Timing", ""))
        except urllib.error.HTTPError as error:
            text, status = "", error.code
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            text, status = "", 599
        return status, time.perf_counter() - started, text

    def log_in(self):
        status, _elapsed, page = _post(
            self, "/masuk/", {"username": self.username, "password": PASSWORD}
        )
        return status == 200 and "Keluar" in page


def server_timing(header: str) -> dict:
    """The server's own account of a request (metro_slum.middleware.ServerTiming), in seconds:
    {"app": .., "cpu": .., "db": .., "session": .., "queries": n}."""
    found = {}
    for metric in header.split(","):
        name, *parts = (part.strip() for part in metric.split(";"))
        for part in parts:
            if part.startswith("dur="):
                found[name] = float(part[4:]) / 1000
            elif part.startswith('desc="') and name == "db":
                found["queries"] = int(part[6:].split()[0])
    return found


def group_paths(user):
    _status, _elapsed, page = user.request("/program/")
    return sorted(set(re.findall(r'href="(/kelompok/\d+/)"', page)))


def social_worker_journey(user, rng, groups):
    group = rng.choice(groups)
    yield "/"
    yield group
    yield group + "asesmen/"
    yield group + "rencana/"
    yield group + "bantuan/"
    yield "/peserta/"
    # Saving: a search (a POST with the form) as a worker does in the field.
    yield ("/peserta/", {"q": rng.choice(["Sri", "Agus", "Siti", "Joko"])})


def supervisor_journey(user, rng, groups):
    group = rng.choice(groups)
    yield "/"
    yield "/program/"
    yield "/admin/grants/grant/"
    yield group + "bantuan/"
    # Deciding: the review form of an assessment (refused with a message once decided).
    yield (group + "asesmen/tinjau/", {"decision": "approve", "note": "Lengkap"})
    yield "/laporan/rekap/"


def run_user(base, username, journey, deadline, timings, errors, lock, start_after, think, logins):
    user = User(base, username)
    rng = random.Random(f"{username}-{start_after}")
    time.sleep(start_after)
    began = time.monotonic()
    logged_in = user.log_in()
    with lock:
        logins.append((time.monotonic(), time.monotonic() - began))
        if not logged_in:
            errors.append((username, "login", 0))
    if not logged_in:
        return
    groups = group_paths(user)
    while time.monotonic() < deadline:
        for step in journey(user, rng, groups):
            if time.monotonic() >= deadline:
                return
            if isinstance(step, tuple):
                status, elapsed, _page = _post(user, *step)
            else:
                status, elapsed, _page = user.request(step)
            with lock:
                path = step if isinstance(step, str) else step[0]
                timings.append(
                    (time.monotonic(), elapsed, re.sub(r"\d+", "N", path), dict(user.server))
                )
                if status >= 500:
                    errors.append((username, step if isinstance(step, str) else step[0], status))
            time.sleep(rng.uniform(*think))


def _ms(ordered, p):
    """The p-th percentile of sorted seconds, in milliseconds."""
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def _where_the_time_goes(steady):
    """Split the clients' total waiting into what the server's header accounts for: its CPU, the
    database (of which the session's writes), the rest of its time in the app (waiting for a core
    or for I/O), and the time before the app saw the request (a free worker, the network)."""
    timed = [(taken, server) for taken, server in steady if server]
    if not timed:
        print("where    (the server sent no Server-Timing header: DJANGO_SERVER_TIMING=true)")
        return
    total = sum(taken for taken, _server in timed)
    parts = {
        key: sum(server.get(key, 0) for _taken, server in timed)
        for key in ("app", "cpu", "db", "session")
    }
    app_other = parts["app"] - parts["cpu"] - parts["db"]
    queued = total - parts["app"]
    shares = [
        ("cpu", parts["cpu"]),
        ("database", parts["db"]),
        ("waiting in the app", max(app_other, 0)),
        ("before the app (queue, network)", max(queued, 0)),
    ]
    print(
        "where    "
        + "   ".join(f"{name} {value / total:.0%}" for name, value in shares)
        + f"   (session writes {parts['session'] / total:.1%}; {total:.1f} s waited in all)"
    )


def _post(user, path, data):
    """GET the page holding the form, then POST it with its CSRF token; time both."""
    # The review form lives on the assessment page; its token serves the review URL too.
    page_path = path.replace("tinjau/", "") if path.endswith("tinjau/") else path
    _status, first, page = user.request(page_path)
    before = user.server
    token = CSRF.search(page)
    data = {**data, "csrfmiddlewaretoken": token[1] if token else ""}
    status, second, text = user.request(path, data)
    user.server = {key: before.get(key, 0) + user.server.get(key, 0) for key in user.server}
    return status, first + second, text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--ramp", type=float, default=60, help="seconds over which users start")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    args = parser.parse_args()
    host = urllib.parse.urlparse(args.base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("load tests run against this machine only (127.0.0.1)")
    accounts = [("pekerja", social_worker_journey)] * (args.users * 3 // 4)
    accounts += [("supervisor", supervisor_journey)] * (args.users - len(accounts))
    timings, errors, logins, lock = [], [], [], threading.Lock()
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [
        threading.Thread(
            target=run_user,
            args=(
                args.base,
                name,
                journey,
                deadline,
                timings,
                errors,
                lock,
                index * args.ramp / len(accounts),
                tuple(args.think),
                logins,
            ),
        )  # fmt: skip
        for index, (name, journey) in enumerate(accounts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Steady state, as locust's --reset-stats after spawning: from when the last user has logged
    # in (logins are slow on purpose, PBKDF2, and all twenty come within the ramp) to the end.
    steady_from = max(at for at, _taken in logins)
    login_times = sorted(taken for _at, taken in logins)
    steady = [(elapsed, server) for at, elapsed, _path, server in timings if at >= steady_from]
    by_path = {}
    for at, taken, path, server in timings:
        if at >= steady_from:
            by_path.setdefault(path, []).append((taken, server))
    elapsed = time.monotonic() - steady_from
    ordered = sorted(taken for taken, _server in steady)

    workers = sum(1 for name, _journey in accounts if name == "pekerja")
    print(
        f"users {args.users} ({workers} social workers, the rest supervisors), {elapsed:.0f} s, "
        f"think {args.think[0]:g}-{args.think[1]:g} s, ramp {args.ramp:g} s"
    )
    rate = len(steady) / elapsed
    print(f"requests {len(steady)} in the steady {elapsed:.0f} s   {rate:.1f} requests/s")
    print(
        f"latency  p50 {_ms(ordered, 50):.0f} ms   p95 {_ms(ordered, 95):.0f} ms   "
        f"p99 {_ms(ordered, 99):.0f} ms   mean {statistics.mean(ordered) * 1000:.0f} ms"
    )
    print(f"errors   {len(errors)}" + (f"  {errors[:5]}" if errors else ""))
    middle = login_times[len(login_times) // 2] * 1000
    print(
        f"logins   {len(login_times)} during the ramp: p50 {middle:.0f} ms"
        f"   max {login_times[-1] * 1000:.0f} ms (not in the figures above)"
    )
    _where_the_time_goes(steady)
    buckets = {}
    for at, taken, _path, _server in timings:
        buckets.setdefault(int((at - started) // 5) * 5, []).append(taken)
    print("  over time (start of 5 s window: requests, p95 ms): " + ", ".join(
        f"{second}s: {len(t)}, {sorted(t)[int(0.95 * (len(t) - 1))] * 1000:.0f}"
        for second, t in sorted(buckets.items())
    ))  # fmt: skip
    print(f"  {'page':32} {'requests':>8}  {'p50':>6} {'p95':>6}   server p50: {'app':>5} "
          f"{'cpu':>5} {'db':>5} {'queries':>7}  queued p95")  # fmt: skip
    for path, pairs in sorted(by_path.items()):
        times = sorted(taken for taken, _server in pairs)
        servers = [server for _taken, server in pairs if server]
        line = f"  {path:32} {len(times):8d}  {_ms(times, 50):6.0f} {_ms(times, 95):6.0f}"
        if servers:
            keys = ("app", "cpu", "db", "queries")
            app, cpu, db, queries = (sorted(s.get(key, 0) for s in servers) for key in keys)
            queued = sorted(taken - server.get("app", 0) for taken, server in pairs if server)
            line += (
                f"   {'':11} {_ms(app, 50):5.0f} {_ms(cpu, 50):5.0f} {_ms(db, 50):5.0f} "
                f"{queries[len(queries) // 2]:7d}  {_ms(queued, 95):6.0f}"
            )
        print(line)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
