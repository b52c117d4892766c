"""A day of field work without signal, synced in one go: 50 monitoring visits, each with a
photo as a phone's camera takes it (4000 × 3000), queued on a 360 px phone offline, then sent
when the connection returns. Prints the seconds and the bytes moved.

On a fresh demo served by the development server (as `make demo`), driven in Debian's Chromium
with the portal's service worker. The photos are made smaller on the phone before they are kept,
so the bytes sent are compared with the bytes the camera made.

Usage: .venv/bin/python benchmarks/offline.py [VISITS]  (or `make bench-offline`)
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lighthouse import PYTHON, ROOT, run, wait_for  # noqa: E402

PORT = 8764
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PASSWORD = "metro-demo"  # noqa: S105 - the demo accounts' published password

GROUP = """
import json
from grants.models import Grant
grant = Grant.objects.get(group__name="Kelompok Jamu Sekar Arum")
print(json.dumps({"group": grant.group_id, "first": grant.first_tranche_on.isoformat(),
                  "visits": grant.visits.count()}))
"""
COUNT = """
from grants.models import Grant
from metro_slum.models import OfflineSubmission
grant = Grant.objects.get(group__name="Kelompok Jamu Sekar Arum")
print(grant.visits.count(), OfflineSubmission.objects.count())
"""


BODIES = """() => metroStore.items().then(items => Promise.all(items.map(item => {
    const body = new FormData();
    item.fields.forEach(p => body.append(p[0], p[1]));
    item.files.forEach(f => body.append(f[0], f[1], f[2]));
    body.append("offline_url", item.url);
    return new Response(body).blob().then(b => b.size);
})).then(sizes => sizes.reduce((a, b) => a + b, 0)))"""


def shell(code, env):
    output = run([PYTHON, "manage.py", "shell", "-c", code], env, capture_output=True, text=True)
    return output.stdout.strip().splitlines()[-1]


def mb(size):
    return f"{size / 1_048_576:,.1f} MB"


def main(visits=50):
    work = Path(tempfile.mkdtemp(prefix="bench-offline-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_MEDIA_ROOT=str(work / "media"),
    )
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    facts = json.loads(shell(GROUP, env))
    photo = work / "kamera.jpg"
    Image.effect_noise((4000, 3000), 60).convert("RGB").save(photo, "JPEG", quality=92)
    first = datetime.date.fromisoformat(facts["first"])
    span = (datetime.date.today() - first).days
    dates = [first + datetime.timedelta(days=1 + i * (span - 1) // visits) for i in range(visits)]

    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"{BASE}/health/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, locale="id-ID", service_workers="allow"
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{BASE}/masuk/")
            page.locator("#id_username").fill("pekerja")
            page.locator("#id_password").fill(PASSWORD)
            page.locator("button[type=submit]").click()
            expect(page.locator("html[data-offline-kept]")).to_be_attached()
            kept = page.locator("html").get_attribute("data-offline-kept")
            sent = []
            page.on(
                "requestfinished",
                lambda request: sent.append(request) if "/luring/kirim/" in request.url else None,
            )

            context.set_offline(True)
            page.goto(f"{BASE}/kelompok/{facts['group']}/bantuan/")
            form = page.locator(f"form[action='/kelompok/{facts['group']}/bantuan/monitoring/']")
            started = time.perf_counter()
            for number, day in enumerate(dates, 1):
                page.locator("#monitoring summary").click()
                form.locator("[name=visit_date]").fill(day.strftime("%d/%m/%Y"))
                form.locator("[name=business_status]").select_option("running")
                form.locator("[name=monthly_revenue]").fill(str(1_500_000 + number * 1000))
                form.locator("[name=monthly_profit]").fill("400000")
                form.locator("[name=active_members]").fill("9")
                form.locator("[name=photo_file]").set_input_files(str(photo))
                expect(form).not_to_have_attribute("data-offline-busy", "")
                form.locator("button[type=submit]").click()
                expect(page.locator("[data-offline-count]")).to_have_text(f"{number} menunggu")
            queued_in = time.perf_counter() - started
            queued = page.evaluate(
                "() => metroStore.items().then(i => i.reduce((s, x) => s + x.size, 0))"
            )
            # The bodies as they will go (multipart, built as offline.js builds them): Chromium
            # does not report the size of a body made of files.
            bodies = page.evaluate(BODIES)

            started = time.perf_counter()
            context.set_offline(False)
            done = "() => metroStore.items().then(i => i.filter(x => x.state !== 'waiting').length)"
            while page.evaluate(done) < visits:
                if time.perf_counter() - started > 600:
                    raise SystemExit("the queue was not sent in 10 minutes")
                page.wait_for_timeout(100)
            synced_in = time.perf_counter() - started
            states = page.evaluate("() => metroStore.items().then(i => i.map(x => x.state))")
            sizes = [request.sizes() for request in sent]
            browser.close()
    finally:
        server.terminate()
        server.wait()

    up = bodies + sum(s["requestHeadersSize"] for s in sizes)
    down = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    recorded, keys = shell(COUNT, env).split()
    camera = photo.stat().st_size * visits
    rows = [
        ("pages kept on the phone beforehand", kept),
        ("queued offline in", f"{queued_in:.1f} s ({queued_in / visits:.2f} s each)"),
        ("photos as the camera made them", mb(camera)),
        ("the queue on the phone (photos smaller)", mb(queued)),
        ("synced in one go in", f"{synced_in:.1f} s ({synced_in / visits:.2f} s each)"),
        ("requests to /luring/kirim/", len(sent)),
        ("bytes up (bodies + headers)", mb(up)),
        ("bytes down (answers)", f"{down / 1024:,.1f} KB"),
        ("items saved on the phone", f"{states.count('saved')} of {visits}"),
        ("visits in the database", f"{recorded} (before: {facts['visits']}); keys {keys}"),
    ]
    print(f"Offline field work: {visits} monitoring visits with a camera photo each")
    for label, value in rows:
        print(f"  {label:<42}{value}")
    if states.count("saved") != visits or int(recorded) != facts["visits"] + visits:
        raise SystemExit("not every visit was saved exactly once")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
