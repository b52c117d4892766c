"""Take the user guide's screenshots from a running demo server (see `make screenshots`).

    python docs/screenshots.py http://127.0.0.1:8123 docs/img

Logs in with the demo accounts (`manage.py load_demo`) and saves each page at a phone's width
(360 px) and, where people use it at a desk, at 1280 px. The browser itself is set to English, the
harder case (its own date picker would read dates month first); the pages stay Indonesian. Needs
Debian's Chromium and Playwright.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "metro-demo"  # noqa: S105 - the demo accounts' published password

# (file name, account, path or a function of the page, widths, language)
SHOTS = [
    ("pekerja-beranda", "pekerja", "/", (360,)),
    ("pekerja-kelompok", "pekerja", "group:Kelompok Jamu Sekar Arum", (360,)),
    ("pekerja-asesmen", "pekerja", "group-link:Kelompok Sayur Karang Hijau:asesmen/", (360,)),
    ("pekerja-bantuan", "pekerja", "group-link:Kelompok Jamu Sekar Arum:bantuan/", (360,)),
    ("pekerja-bantuan-draf", "pekerja", "group-link:Kelompok Sayur Karang Hijau:bantuan/", (360,)),
    ("pekerja-peserta-baru", "pekerja", "person:Edi Susanto", (360, 1280)),
    ("pekerja-daftar-peserta", "pekerja", "/peserta/", (360,)),
    ("pekerja-pekerjaan", "pekerja", "/pekerjaan/?perlu=draf", (360,)),
    ("pekerja-tindak-lanjut", "pekerja", "follow-up:Kelompok Jamu Sekar Arum:resolved", (360,)),
    ("pekerja-hasil", "pekerja", "group-link:Kelompok Jamu Sekar Arum:hasil/", (360, 1280)),
    (
        "pekerja-riwayat-keluarga",
        "pekerja",
        "follow-up-person:Kelompok Jamu Sekar Arum:referred:riwayat-keluarga/",
        (360, 1280),
    ),
    ("supervisor-beranda", "supervisor", "/", (360, 1280)),
    ("supervisor-program", "supervisor", "/program/", (360, 1280)),
    (
        "supervisor-bantuan-diajukan",
        "supervisor",
        "group-link:Kelompok Gas Rejo Sejahtera:bantuan/",
        (360,),
    ),
    ("supervisor-admin", "supervisor", "/admin/", (1280,)),
    ("supervisor-admin-bantuan", "supervisor", "/admin/grants/grant/", (1280,)),
    ("supervisor-kelurahan", "supervisor", "/kelurahan/1872011004/", (360, 1280)),
    ("staf-laporan", "staf", "/laporan/", (360, 1280)),
    ("staf-rekap", "staf", "/laporan/rekap/", (1280,)),
    ("staf-penerima", "staf", "/laporan/penerima/", (1280,)),
    ("staf-pemantauan", "staf", "/laporan/pemantauan/?dari=2025-01-01&sampai=2026-11-30", (1280,)),
    ("staf-pencairan", "staf", "/admin/grants/grant/?status__exact=approved", (1280,)),
    ("staf-ekspor", "staf", "/ekspor/", (360, 1280)),
    ("staf-hasil", "staf", "/laporan/hasil/?kelurahan=1872011004", (1280,)),
    ("staf-bantuan-diterima", "staf", "/admin/families/aid/", (1280,)),
    ("staf-impor-bantuan", "staf", "/admin/families/aid/import/", (360, 1280)),
    # Starting a programme and the steps made visible (the guide's "Memulai program baru").
    ("staf-program-baru", "staf", "/admin/participants/program/add/", (1280,)),
    ("supervisor-penugasan", "supervisor", "/admin/participants/kelurahanassignment/add/", (1280,)),
    ("pekerja-daftar-ke-kelompok", "pekerja", "register-into:Kelompok Sayur Karang Hijau", (360,)),
    (
        "staf-bantuan-disetujui",
        "staf",
        "admin-first:/admin/grants/grant/?status__exact=approved",
        (1280,),
    ),
    (
        "staf-catat-pencairan",
        "staf",
        "tranche-of:/admin/grants/grant/?status__exact=approved",
        (1280,),
    ),
    (
        "supervisor-riwayat-bantuan",
        "supervisor",
        "admin-first:/admin/grants/grant/?status__exact=approved:history/",
        (1280,),
    ),
    # Who opened a follow-up's evidence (a BPJS card, a KTP): read by the supervisor in admin.
    (
        "supervisor-admin-tindak-lanjut",
        "supervisor",
        "admin-first:/admin/families/followup/?status__exact=resolved",
        (360, 1280),
    ),
    (
        "pekerja-perbaiki-tindak-lanjut",
        "pekerja",
        "follow-up:Kelompok Jamu Sekar Arum:referred:ubah/",
        (360,),
    ),
    ("kumuh-ringkasan", "supervisor", "/kumuh/", (360, 1280)),
    ("kumuh-kelurahan", "supervisor", "/kumuh/1872011004/", (360, 1280)),
    ("kumuh-rt", "pekerja", "first-link:/kumuh/1872011004/:#rts a", (360, 1280)),
    ("kumuh-laporan", "staf", "/kumuh/laporan/", (1280,)),
    ("kumuh-batas", "staf", "/kumuh/batas/", (360,)),
    # Without signal (the service worker keeps the worker's pages; forms wait in the queue).
    ("luring-bantuan", "pekerja", "offline-grant:Kelompok Jamu Sekar Arum", (360,)),
    ("luring-antrean", "pekerja", "offline-queue:Kelompok Jamu Sekar Arum", (360, 1280)),
    (
        "pekerja-perbaiki-kunjungan",
        "pekerja",
        "group-first-link:Kelompok Jamu Sekar Arum:bantuan/:#monitoring li a",
        (360, 1280),
    ),
]


def offline_visit(page, date):
    """A monitoring visit recorded on the grant's page open without a connection."""
    page.click("#monitoring summary")
    form = page.locator("#monitoring form")
    form.locator("[name=visit_date]").fill(date)
    form.locator("[name=business_status]").select_option("running")
    form.locator("[name=monthly_revenue]").fill("2600000")
    form.locator("[name=monthly_profit]").fill("750000")
    form.locator("[name=active_members]").fill("9")
    count = page.locator("[data-offline-count]")
    before = count.inner_text() if count.is_visible() else ""
    form.locator("button[type=submit]").click()
    page.wait_for_function(
        "before => document.querySelector('[data-offline-count]').innerText !== before", arg=before
    )


def offline_steps(page, base, target):
    """ "offline-grant:GROUP": the grant's page read and a visit queued without signal;
    "offline-queue:GROUP": two visits queued, one refused when the signal returns, and the page
    of what was sent from this phone."""
    kind, name = target.split(":", 1)
    page.wait_for_selector("html[data-offline-kept]", state="attached", timeout=60_000)
    grant = resolve(page, base, f"group:{name}") + "bantuan/"
    page.goto(grant)
    page.context.set_offline(True)
    page.goto(base + "/")
    page.goto(grant + "#monitoring")
    if kind == "offline-grant":
        offline_visit(page, "04/12/2026")
        page.evaluate("window.scrollTo(0, 0)")
        return
    offline_visit(page, "04/12/2026")
    offline_visit(page, "01/01/2025")  # before the money came: the office refuses it
    page.context.set_offline(False)
    page.goto(f"{base}/luring/")
    page.wait_for_selector("#offline-items [data-state=refused]", timeout=30_000)


def log_in(page, base, username):
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def resolve(page, base, target):
    """Turn "group:NAME", "group-link:NAME:SUFFIX" and "person:NAME" into the URL of that group or
    person, found on the pages."""
    if target.startswith("person:"):
        page.goto(f"{base}/peserta/")
        page.fill("input[name=q]", target.removeprefix("person:"))
        with page.expect_navigation():
            page.click("main button[type=submit]")
        return base + page.locator("main .list-group a").first.get_attribute("href")
    if target.startswith(("admin-first:", "tranche-of:")):
        # The first record of an admin list (with SUFFIX after its change page's address), or
        # the disbursement form its "record a disbursement" opens.
        kind, _sep, rest = target.partition(":")
        listing, _sep, suffix = rest.partition(":")
        page.goto(base + listing)
        change = base + page.locator("#result_list tbody th a").first.get_attribute("href")
        if kind == "admin-first":
            return change.replace("/change/", "/") + suffix if suffix else change
        page.goto(change)
        return base + page.locator("#record-tranche").get_attribute("href")
    if target.startswith("group-first-link:"):
        # "group-first-link:GROUP:SUFFIX:SELECTOR" – the first such link on a page of the group.
        _kind, name, suffix, selector = target.split(":", 3)
        page.goto(resolve(page, base, f"group:{name}") + suffix)
        return base + page.locator(selector).first.get_attribute("href")
    if target.startswith("first-link:"):
        # "first-link:PATH:SELECTOR" – the first link the selector finds on that page.
        _kind, path, selector = target.split(":", 2)
        page.goto(base + path)
        return base + page.locator(selector).first.get_attribute("href")
    if target.startswith("register-into:"):
        group = resolve(page, base, "group:" + target.removeprefix("register-into:"))
        return f"{base}/peserta/baru/?kelompok={group.rstrip('/').rsplit('/', 1)[-1]}"
    if target.startswith("follow-up"):
        # "follow-up:GROUP:STATUS" – a follow-up of the group in that status; "follow-up-person:
        # GROUP:STATUS:SUFFIX" – the person it is for, with SUFFIX.
        kind, name, status, *rest = target.split(":")
        page.goto(resolve(page, base, f"group:{name}"))
        page.goto(
            base
            + page.locator(f"#follow-ups a:has([data-status={status}])").last.get_attribute("href")
        )
        if kind == "follow-up":
            return page.url + (rest[0] if rest else "")
        return base + page.locator("main dd a").first.get_attribute("href") + rest[0]
    if not target.startswith("group"):
        return base + target
    _kind, name, *rest = target.split(":")
    page.goto(f"{base}/program/?program=")
    href = page.locator(f"a:text-is('{name}')").first.get_attribute("href")
    return base + href + (rest[0] if rest else "")


def main(base: str, out: str, language: str = "id") -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        # SHOTS_ONLY="staf-,pekerja-daftar" takes only the shots whose names start so.
        only = tuple(filter(None, os.environ.get("SHOTS_ONLY", "").split(",")))
        for name, user, target, widths in SHOTS:
            if only and not name.startswith(only):
                continue
            for width in widths:
                context = browser.new_context(
                    viewport={"width": width, "height": 800}, locale="en-US"
                )
                page = context.new_page()
                log_in(page, base, user)
                if language != "id":
                    if page.locator(".navbar-toggler").is_visible():
                        page.click(".navbar-toggler")
                    with page.expect_navigation():
                        page.click(f"button[name=language][value={language}]")
                if target.startswith("offline-"):
                    offline_steps(page, base, target)
                else:
                    page.goto(resolve(page, base, target))
                suffix = "" if language == "id" else f"-{language}"
                path = out_dir / f"{name}-{width}{suffix}.jpg"
                page.screenshot(path=str(path), full_page=True, type="jpeg", quality=70)
                print(path)
                context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
