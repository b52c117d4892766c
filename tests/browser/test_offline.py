"""Field work without a connection, in real Chromium at 360 px with the portal's service worker:
pages read offline with the date they were kept, forms queued on the phone and sent once when the
connection returns, a refusal corrected, a conflict chosen, an ended session, logging out."""

import datetime
import json

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from grants import services
from grants.models import MonitoringVisit, SpendingLine
from metro_slum.models import OfflineSubmission
from tests.cast import Cast, approved_grant, disburse, ready_group
from tests.factories import _kelurahan
from tests.helpers import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True)

# What the phone's queue holds, read from its IndexedDB (static/js/offline-store.js).
ITEMS = """() => metroStore.items().then(items => items.map(i => ({
    id: i.id, key: i.key, state: i.state, label: i.label, message: i.message, url: i.url,
    fields: i.fields, files: i.files.map(f => f[1].size)})))"""


@pytest.fixture
def paid_group():
    """A group of Hadimulyo Barat whose grant was paid on 15/09/2026, and its social worker."""
    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    group = ready_group(cast, kelurahan)
    grant = approved_grant(cast, group)
    disburse(cast, grant, 2_550_000)
    return cast, group, grant


def camera_photo(path, name):
    """A photo as a phone's camera takes it: 4000 × 3000 pixels, several megabytes."""
    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    target = path / name
    image.save(target, "JPEG", quality=95)
    return target


@pytest.fixture
def in_the_field(field_phone, live_server, paid_group):
    """The worker logged in on the phone, the pages of their kelurahan kept: (page, address,
    cast, group, grant)."""
    ready_offline(field_phone, live_server.url)
    return field_phone, live_server.url, *paid_group


def ready_offline(page, url):
    """Logged in as the worker, the pages of their kelurahan kept on the phone."""
    log_in(page, url, "pekerja")
    expect(page.locator("html[data-offline-kept]")).to_be_attached(timeout=30_000)


def test_a_day_in_the_field_without_signal(field_phone, live_server, paid_group, tmp_path):
    cast, group, grant = paid_group
    page = field_phone
    context = page.context
    base = live_server.url
    ready_offline(page, base)

    context.set_offline(True)
    # The group's page reads as it was kept, with the time it was kept.
    page.goto(f"{base}/kelompok/{group.pk}/")
    expect(page.locator("main")).to_contain_text(group.name)
    expect(page.locator("main > .alert-warning").first).to_contain_text(
        "Tanpa sinyal: halaman ini seperti yang disimpan ponsel pada "
    )
    # NIKs are masked on the phone.
    member = group.memberships.first().participant
    page.goto(f"{base}/peserta/{member.pk}/")
    expect(page.locator("main")).to_contain_text(member.nik[:4] + "**********")
    assert member.nik not in page.content()

    page.goto(f"{base}/kelompok/{group.pk}/bantuan/")
    visit_form = page.locator(f"form[action='/kelompok/{group.pk}/bantuan/monitoring/']")
    # Three visits; the second is dated before the money came (the server will refuse it).
    waiting = 0
    for date, revenue in (
        ("30/09/2026", "1500000"),
        ("01/09/2026", "1600000"),
        ("30/10/2026", "1700000"),
    ):
        page.get_by_text("Catat kunjungan").click()
        visit_form.locator("[name=visit_date]").fill(date)
        visit_form.locator("[name=business_status]").select_option("running")
        visit_form.locator("[name=monthly_revenue]").fill(revenue)
        visit_form.locator("[name=monthly_profit]").fill("400000")
        visit_form.locator("[name=active_members]").fill("10")
        visit_form.locator("[name=photo_file]").set_input_files(
            str(camera_photo(tmp_path, f"warung-{date[:2]}.jpg"))
        )
        expect(visit_form).not_to_have_attribute("data-offline-busy", "")
        visit_form.locator("button[type=submit]").click()
        expect(page.locator("main > .alert-info").first).to_contain_text(
            "Tanpa sinyal: disimpan di ponsel ini"
        )
        waiting += 1
        expect(page.locator("[data-offline-count]")).to_have_accessible_name(f"{waiting} menunggu")
        # The visit stands in the grant's monitoring list at once, marked as waiting.
        expect(page.locator("#visits [data-offline-waiting]")).to_have_count(waiting)
        expect(page.locator("#visits [data-offline-waiting]").first).to_contain_text(date)
    spending_form = page.locator(f"form[action='/kelompok/{group.pk}/bantuan/lpj/']")
    line = group.action_plan.budget_lines.first()
    for description, amount in (("Panci besar", "750000"), ("Kompor gas", "500000")):
        spending_form.locator("[name=budget_line]").select_option(str(line.pk))
        spending_form.locator("[name=description]").fill(description)
        spending_form.locator("[name=spent_on]").fill("20/09/2026")
        spending_form.locator("[name=actual_amount]").fill(amount)
        spending_form.locator("[name=receipt]").set_input_files(
            str(camera_photo(tmp_path, f"kuitansi-{amount}.jpg"))
        )
        expect(spending_form).not_to_have_attribute("data-offline-busy", "")
        spending_form.locator("button[type=submit]").click()
        waiting += 1
        expect(page.locator("[data-offline-count]")).to_have_accessible_name(f"{waiting} menunggu")

    # Five wait; each photo was made smaller on the phone before it was kept.
    expect(page.locator("[data-offline-count]")).to_have_accessible_name("5 menunggu")
    items = page.evaluate(ITEMS)
    assert [i["state"] for i in items] == ["waiting"] * 5
    original = (tmp_path / "warung-30.jpg").stat().st_size
    assert original > 2_000_000
    assert all(0 < size < original / 4 for i in items for size in i["files"])
    sides = page.evaluate(
        """() => metroStore.items().then(items => Promise.all(items.map(
            i => createImageBitmap(i.files[0][1]).then(b => Math.max(b.width, b.height)))))"""
    )
    assert sides == [1600] * 5
    assert len({i["key"] for i in items}) == 5

    # Reloaded, closed and opened again without signal: they still wait.
    page.reload()
    expect(page.locator("[data-offline-count]")).to_have_accessible_name("5 menunggu")
    page.close()
    page = context.new_page()
    page.goto(f"{base}/luring/")
    expect(page.locator("#offline-items [data-state=waiting]")).to_have_count(5)
    expect(page.locator("#offline-space")).to_contain_text("Antrean memakai")

    # The first visit had reached the office before the signal went (its answer was lost).
    first = next(i for i in items if "30/09/2026" in json.dumps(i["fields"]))
    lost = Client()
    lost.force_login(cast.worker)
    assert (
        lost.post("/luring/kirim/", {**dict(first["fields"]), "offline_url": first["url"]}).json()[
            "state"
        ]
        == "saved"
    )
    assert MonitoringVisit.objects.count() == 1

    context.set_offline(False)
    page.reload()
    expect(page.locator("#offline-items [data-state=saved]")).to_have_count(4)
    refused = page.locator("#offline-items [data-state=refused]")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("15/09/2026")  # the server's own words: not before the money
    expect(page.locator("[data-offline-count]")).to_have_accessible_name("1 perlu dilihat")
    # Each saved exactly once; the visit the office already had, not a second time.
    assert MonitoringVisit.objects.count() == 3 - 1
    assert sorted(SpendingLine.objects.values_list("description", flat=True)) == [
        "Kompor gas",
        "Panci besar",
    ]
    assert OfflineSubmission.objects.count() == 4
    assert sorted(MonitoringVisit.objects.values_list("monthly_revenue", flat=True)) == [
        1_500_000,
        1_700_000,
    ]
    already = page.evaluate(ITEMS)
    assert next(i for i in already if i["key"] == first["key"])["message"].startswith(
        "Sudah tersimpan pada "
    )

    # Corrected on its own form, filled in again with the photo, and sent.
    refused.get_by_role("link", name="Perbaiki dan kirim lagi").click()
    expect(
        visit_form := page.locator(f"form[action='/kelompok/{group.pk}/bantuan/monitoring/']")
    ).to_contain_text("Perbaiki formulir ini lalu kirim lagi")
    expect(visit_form.locator("[name=monthly_revenue]")).to_have_value("1600000")
    visit_form.locator("[name=visit_date]").fill("31/10/2026")
    visit_form.locator("button[type=submit]").click()
    expect(page.locator("main > .alert-success").first).to_contain_text(
        "1 terkirim dari ponsel ini dan tersimpan"
    )
    assert MonitoringVisit.objects.count() == 3
    corrected = MonitoringVisit.objects.get(monthly_revenue=1_600_000)
    assert corrected.visit_date == datetime.date(2026, 10, 31)
    assert corrected.photo is not None
    expect(page.locator("[data-offline-count]")).to_be_hidden()

    # Logging out deletes what the phone keeps.
    page.goto(f"{base}/luring/")
    expect(page.locator("#offline-items [data-state=saved]")).to_have_count(5)
    page.locator("[data-nav-toggle]").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.locator("#id_username")).to_be_visible()
    assert page.evaluate("() => indexedDB.databases().then(d => d.map(x => x.name))") == []
    assert "metro-pages" not in page.evaluate("() => caches.keys()")


def record_visit(cast, grant, day, revenue):
    return services.monitoring_visit_record(
        grant=grant,
        by=cast.worker,
        visit_date=datetime.date(2026, 10, day),
        business_status="running",
        monthly_revenue=revenue,
        monthly_profit=400_000,
        active_members=10,
    )


def test_a_visit_corrected_offline_and_online_meanwhile_is_a_conflict_the_worker_settles(
    field_phone, live_server, paid_group
):
    cast, group, grant = paid_group
    kept, dropped = (
        record_visit(cast, grant, 10, 1_500_000),
        record_visit(cast, grant, 20, 1_500_000),
    )
    page = field_phone
    base = live_server.url
    ready_offline(page, base)

    page.context.set_offline(True)
    for visit, revenue in ((kept, "1600000"), (dropped, "1650000")):
        page.goto(f"{base}/kelompok/{group.pk}/bantuan/monitoring/{visit.pk}/ubah/")
        expect(page.locator("main > .alert-warning").first).to_contain_text("Tanpa sinyal")
        page.locator("[name=monthly_revenue]").fill(revenue)
        page.get_by_role("button", name="Simpan perbaikan").click()
        expect(page.locator("main > .alert-info").first).to_contain_text("disimpan di ponsel ini")
    # Meanwhile the office corrected both visits (version 2).
    for visit in (kept, dropped):
        services.monitoring_visit_change(
            visit=visit, by=cast.worker, version=1, monthly_revenue=1_800_000
        )

    page.context.set_offline(False)
    page.goto(f"{base}/luring/")
    conflicts = page.locator("#offline-items [data-state=conflict]")
    expect(conflicts).to_have_count(2)
    # Both versions side by side, the difference marked.
    first = conflicts.filter(has_text="1.650.000")
    expect(first.locator("tr.table-warning")).to_contain_text("1.800.000")
    expect(first.locator("tr.table-warning")).to_contain_text("1.650.000")
    first.get_by_role("button", name="Pakai versi server").click()
    expect(page.locator("#offline-items [data-state=dropped]")).to_contain_text(
        "Versi server dipertahankan"
    )
    page.locator("#offline-items [data-state=conflict]").get_by_role(
        "button", name="Pakai versi ponsel ini"
    ).click()
    expect(page.locator("#offline-items [data-state=saved]")).to_have_count(1)
    expect(page.locator("#offline-items [data-state=conflict]")).to_have_count(0)
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.monthly_revenue, kept.version) == (1_600_000, 3)
    assert (dropped.monthly_revenue, dropped.version) == (1_800_000, 2)


def test_an_ended_session_asks_to_log_in_and_the_queue_goes_on(in_the_field, tmp_path):
    page, base, cast, group, grant = in_the_field
    page.context.set_offline(True)
    page.goto(f"{base}/kelompok/{group.pk}/bantuan/")
    page.get_by_text("Catat kunjungan").click()
    form = page.locator(f"form[action='/kelompok/{group.pk}/bantuan/monitoring/']")
    # A file that is not a photo is refused on the phone, before anything is kept.
    fake = tmp_path / "foto.jpg"
    fake.write_bytes(b"bukan gambar, hanya teks")
    form.locator("[name=photo_file]").set_input_files(str(fake))
    expect(form.locator(".offline-file-note")).to_have_text(
        "Berkas ini bukan foto yang bisa dibaca ponsel (JPG atau PNG). Pilih fotonya lagi."
    )
    fill_visit(form)
    form.locator("button[type=submit]").click()
    assert page.evaluate(ITEMS) == []
    form.locator("[name=photo_file]").set_input_files(str(camera_photo(tmp_path, "warung.jpg")))
    expect(form.locator(".offline-file-note")).to_have_count(0)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-offline-count]")).to_have_accessible_name("1 menunggu")

    # The session ended while the phone was offline (30 minutes idle, or the browser closed).
    page.context.clear_cookies()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("main > .alert-warning").first).to_contain_text("Sesi Anda sudah berakhir")
    # The signal's return and the page both sent: the message is shown once.
    expect(page.get_by_role("link", name="Masuk")).to_have_count(1)
    assert MonitoringVisit.objects.count() == 0
    page.get_by_role("link", name="Masuk").click()
    page.locator("#id_username").fill("pekerja")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page.locator("main > .alert-success").first).to_contain_text(
        "1 terkirim dari ponsel ini"
    )
    assert MonitoringVisit.objects.get().photo is not None


def test_what_waited_past_the_programmes_end_is_shown_not_sent(
    field_phone, live_server, paid_group, tmp_path
):
    cast, group, grant = paid_group
    group.program.end_date = datetime.date(2026, 12, 4)  # ended yesterday
    group.program.save()
    page = field_phone
    base = live_server.url
    ready_offline(page, base)
    page.context.set_offline(True)
    page.goto(f"{base}/kelompok/{group.pk}/bantuan/")
    page.get_by_text("Catat kunjungan").click()
    form = page.locator(f"form[action='/kelompok/{group.pk}/bantuan/monitoring/']")
    fill_visit(form)
    form.locator("button[type=submit]").click()
    page.context.set_offline(False)
    page.goto(f"{base}/luring/")
    expect(page.locator("#offline-items [data-state=expired]")).to_contain_text(
        "Program berakhir pada 04/12/2026: ini tidak dikirim."
    )
    assert MonitoringVisit.objects.count() == 0


def fill_visit(form, date="30/10/2026"):
    form.locator("[name=visit_date]").fill(date)
    form.locator("[name=business_status]").select_option("running")
    form.locator("[name=monthly_revenue]").fill("1500000")
    form.locator("[name=monthly_profit]").fill("400000")
    form.locator("[name=active_members]").fill("10")


def test_a_form_lost_on_the_way_is_kept_by_the_service_worker_and_sent(in_the_field):
    """The phone thinks it is online, but the request never arrives (a weak signal in a lane)."""
    page, base, cast, group, grant = in_the_field
    page.goto(f"{base}/kelompok/{group.pk}/bantuan/")
    lost = f"**/kelompok/{group.pk}/bantuan/monitoring/"
    page.context.route(lost, lambda route: route.abort("internetdisconnected"))
    page.get_by_text("Catat kunjungan").click()
    form = page.locator(f"form[action='/kelompok/{group.pk}/bantuan/monitoring/']")
    fill_visit(form)
    form.locator("button[type=submit]").click()
    # Back on the grant's page: kept, then sent by the queue as soon as the page loaded.
    expect(page.locator("main > .alert-info").first).to_contain_text("disimpan di ponsel ini")
    expect(page.locator("main > .alert-success").first).to_contain_text(
        "1 terkirim dari ponsel ini"
    )
    assert MonitoringVisit.objects.count() == 1
    assert OfflineSubmission.objects.get().user == cast.worker
    page.context.unroute(lost)


def test_without_signal_other_pages_and_forms_say_so_and_old_pages_are_deleted(in_the_field):
    page, base, cast, group, grant = in_the_field
    page.goto(f"{base}/kelompok/{group.pk}/tindak-lanjut/baru/")
    page.context.set_offline(True)
    # A form that cannot wait in the queue stays on its page, filled in.
    page.locator("[name=need]").fill("Pelatihan pembukuan")
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(page.locator("main > .alert-warning").first).to_contain_text(
        "formulir ini belum terkirim dan tidak bisa menunggu di ponsel ini"
    )
    expect(page.locator("[name=need]")).to_have_value("Pelatihan pembukuan")
    # A page the phone does not keep: said so, with the way to what is kept.
    page.goto(f"{base}/laporan/")
    expect(page.locator("h1")).to_have_text("Tanpa sinyal")
    page.get_by_role("link", name="Terkirim dari ponsel ini").click()
    expect(page.locator("h1")).to_have_text("Terkirim dari ponsel ini")

    # Seven days without contact with the office: the kept pages are deleted.
    page.evaluate("() => metroStore.setMeta('contact', Date.now() - 8 * 86400000)")
    page.goto(f"{base}/kelompok/{group.pk}/")
    expect(page.locator("main")).to_contain_text("dihapus setelah 7 hari tanpa sambungan")
    assert "metro-pages" not in page.evaluate("() => caches.keys()")


def test_a_phone_nearly_out_of_space_says_so_before_it_refuses(in_the_field, tmp_path):
    page, base, cast, group, grant = in_the_field
    page.goto(f"{base}/kelompok/{group.pk}/bantuan/")
    cdp = page.context.new_cdp_session(page)
    used = page.evaluate("() => navigator.storage.estimate().then(e => e.usage)")
    # Room for one photo, not for ten megabytes more.
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": base, "quotaSize": used + 5_000_000})
    page.context.set_offline(True)
    page.get_by_text("Catat kunjungan").click()
    form = page.locator(f"form[action='/kelompok/{group.pk}/bantuan/monitoring/']")
    fill_visit(form)
    form.locator("[name=photo_file]").set_input_files(str(camera_photo(tmp_path, "a.jpg")))
    expect(form).not_to_have_attribute("data-offline-busy", "")
    form.locator("button[type=submit]").click()
    expect(page.locator("main > .alert-warning").first).to_contain_text(
        "Ruang di ponsel ini hampir habis"
    )
    expect(page.locator("[data-offline-count]")).to_have_accessible_name("1 menunggu")

    cdp.send("Storage.overrideQuotaForOrigin", {"origin": base, "quotaSize": 1000})  # full
    page.get_by_text("Catat kunjungan").click()
    fill_visit(form, "31/10/2026")
    form.locator("[name=photo_file]").set_input_files(str(camera_photo(tmp_path, "b.jpg")))
    expect(form).not_to_have_attribute("data-offline-busy", "")
    form.locator("button[type=submit]").click()
    expect(page.locator("main > .alert-danger").first).to_contain_text(
        "Ruang di ponsel ini tidak cukup"
    )
    expect(page.locator("[data-offline-count]")).to_have_accessible_name("1 menunggu")
    assert len(page.evaluate(ITEMS)) == 1


def test_an_assessment_draft_saved_without_signal_stays_in_view_and_is_sent(
    field_phone, live_server
):
    from assessments.models import NeedsAssessment
    from tests.conftest import fill_group
    from tests.factories import GroupFactory

    kelurahan = _kelurahan("1872011004")
    Cast(kelurahan)
    group = GroupFactory(kelurahan=kelurahan)
    fill_group(group, 10)
    page = field_phone
    base = live_server.url
    ready_offline(page, base)
    page.context.set_offline(True)
    page.goto(f"{base}/kelompok/{group.pk}/asesmen/")
    expect(page.locator("main > .alert-warning").first).to_contain_text("Tanpa sinyal")
    page.locator("[name=venue]").fill("Balai RW 03")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("main > .alert-info").first).to_contain_text("disimpan di ponsel ini")
    expect(page.locator("[name=venue]")).to_have_value("Balai RW 03")  # still in view
    assert page.evaluate(ITEMS)[0]["fields"][0] != ["action", "submit"]
    assert ["action", "save"] in page.evaluate(ITEMS)[0]["fields"]

    page.context.set_offline(False)
    page.goto(f"{base}/luring/")
    # Sent by the page that saw the signal return or by this one, whichever came first: once.
    expect(page.locator("#offline-items [data-state=saved]")).to_have_count(1)
    assessment = NeedsAssessment.objects.get(group=group)
    assert (assessment.venue, assessment.version) == ("Balai RW 03", 1)


def test_the_portal_is_installable_on_a_phone(in_the_field):
    """Chromium's own installability check: manifest, icons, service worker with a fetch handler."""
    page, base, cast, group, grant = in_the_field
    page.goto(f"{base}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A test's browser context is a private window, where nothing installs: everything else counts.
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert json.loads(manifest["data"])["short_name"] == "Slum Area Metro"


def test_the_signal_returns_and_the_page_is_no_longer_called_a_kept_copy(in_the_field):
    """Offline, a page says it is the phone's copy and a visit waits in its place; the signal
    back, what waited is sent and the copy's warning goes, while the visit stays in the list;
    the new visit's date is today's; at 360 px the waiting count keeps the header on one row;
    the menu leads to what this phone sent, always."""
    page, base, cast, group, grant = in_the_field
    page.context.set_offline(True)
    page.goto(f"{base}/kelompok/{group.pk}/bantuan/")
    copy = page.locator("main > .alert-warning", has_text="Tanpa sinyal: halaman ini")
    expect(copy).to_have_count(1)
    page.get_by_text("Catat kunjungan").click()
    form = page.locator(f"form[action='/kelompok/{group.pk}/bantuan/monitoring/']")
    today = datetime.date.today()
    expect(form.locator("[name=visit_date]")).to_have_value(f"{today:%d/%m/%Y}")
    fill_visit(form, date="30/10/2026")
    form.locator("button[type=submit]").click()
    expect(page.locator("#visits [data-offline-waiting]")).to_have_count(1)
    header = page.locator("nav.navbar > div").bounding_box()
    brand = page.locator(".navbar-brand").bounding_box()
    assert header["height"] < 2 * brand["height"]  # one row
    page.context.set_offline(False)
    expect(page.locator("main > .alert-success").first).to_contain_text("1 terkirim")
    expect(copy).to_have_count(0)
    assert MonitoringVisit.objects.count() == 1
    page.reload()
    expect(page.locator("#visits [data-offline-waiting]")).to_have_count(0)
    expect(page.locator("#visits")).to_contain_text("30/10/2026")
    page.locator("[data-nav-toggle]").click()
    page.locator("#nav-offline").click()
    expect(page).to_have_url(f"{base}/luring/")
