"""Everyday use on a phone and at a desk: confirmations, unsaved changes, day-first dates in an
English browser, read-only records shown whole, several documents at once, 44 px tap targets and
an export that says it would be empty."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as assessment_services
from grants.demo import PDF
from grants.models import Document, Grant
from tests.assessments.helpers import save_assessment
from tests.cast import Cast, draft_grant, ready_group
from tests.factories import GroupFactory, ParticipantFactory, _kelurahan
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(transactional_db):
    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    group = ready_group(cast, kelurahan)
    return cast, group


def test_leaving_a_half_filled_form_asks_first(phone, live_server, office):
    cast, group = office
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/peserta/baru/")
    phone.get_by_label("Nama lengkap").click()
    phone.keyboard.type("Siti Aminah")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    phone.once("dialog", stay)
    phone.get_by_role("link", name="Batal").click()  # leaving: the browser asks, the user stays
    phone.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(phone).to_have_url(re.compile("/peserta/baru/$"))
    expect(phone.get_by_label("Nama lengkap")).to_have_value("Siti Aminah")

    # Saving is not leaving: no question when the form is sent.
    phone.on("dialog", lambda dialog: asked.append(dialog.type) or dialog.accept())
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.locator(".invalid-feedback").first).to_be_visible()
    assert asked == ["beforeunload"]


def test_a_long_form_keeps_a_draft_on_the_device_until_it_is_saved(phone, live_server, office):
    cast, _group = office
    group = GroupFactory(kelurahan=_kelurahan("1872011004"))
    log_in(phone, live_server.url, "pekerja")
    url = f"{live_server.url}/kelompok/{group.pk}/asesmen/"
    phone.goto(url)
    phone.get_by_label("Tempat").click()
    phone.keyboard.type("Balai Kelurahan Hadimulyo Barat")
    phone.wait_for_timeout(600)  # the draft is kept a moment after the typing stops
    phone.once("dialog", lambda dialog: dialog.accept())  # "leave the page?" – yes
    phone.locator(".breadcrumb a:visible").click()  # "‹ the group": one step back
    expect(phone).to_have_url(f"{live_server.url}/kelompok/{group.pk}/")

    phone.goto(url)
    banner = phone.locator("#assessment-form-draft")
    expect(banner).to_be_visible()
    expect(phone.get_by_label("Tempat")).to_have_value("")
    banner.get_by_role("button", name="Pulihkan isian").click()
    expect(phone.get_by_label("Tempat")).to_have_value("Balai Kelurahan Hadimulyo Barat")
    expect(banner).to_be_hidden()

    phone.get_by_role("button", name="Simpan draf").click()
    expect(phone.get_by_role("alert").first).to_have_text("Draf disimpan.")
    phone.reload()
    expect(phone.locator("#assessment-form-draft")).to_be_hidden()  # saved: nothing to offer
    # Logging out removes what a shared phone keeps.
    phone.get_by_label("Tempat").fill("Rumah ketua")
    phone.wait_for_timeout(600)
    kept = phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('draft:')).length")
    assert kept == 1
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.locator("button[data-nav-toggle]").click()
    phone.get_by_role("button", name="Keluar").click()
    expect(phone.locator("#id_username")).to_be_visible()
    kept = phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('draft:')).length")
    assert kept == 0


def test_dates_are_day_first_in_an_english_browser(chromium, live_server, office):
    cast, group = office
    person = ParticipantFactory(kelurahan=group.kelurahan)
    small = GroupFactory(kelurahan=group.kelurahan)
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", has_touch=True, is_mobile=True
    )
    page = context.new_page()
    log_in(page, live_server.url, "pekerja")
    page.goto(f"{live_server.url}/kelompok/{small.pk}/anggota/tambah/")
    joined = page.locator("#id_joined_on")
    # Today, prefilled, day first; the page stays Indonesian whatever the browser's language.
    expect(joined).to_have_value(f"{timezone.localdate():%d/%m/%Y}")
    expect(joined).to_have_attribute("placeholder", "hh/bb/tttt")
    joined.fill("")
    joined.press_sequentially("08112026")
    expect(joined).to_have_value("08/11/2026")
    page.locator("#id_participant").select_option(str(person.pk))
    page.get_by_role("button", name="Masukkan ke kelompok").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert small.memberships.get().joined_on == datetime.date(2026, 11, 8)
    context.close()


def test_a_sent_assessment_shows_a_long_answer_whole(phone, live_server, office):
    cast, _group = office
    group = GroupFactory(kelurahan=_kelurahan("1872011004"))
    from tests.conftest import fill_group

    fill_group(group, 10)
    reason = (
        "Menanam sayur organik di pekarangan dan menjualnya ke pasar Metro setiap pagi, "
        "karena sebagian besar anggota sudah biasa berkebun dan pembelinya sudah ada."
    )
    save_assessment(group, chosen_business_reason=reason)
    assessment_services.assessment_submit(group=group, by=cast.worker)
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/asesmen/")
    shown = phone.locator("#assessment-read")
    expect(shown).to_contain_text(reason)
    assert phone.locator("#assessment-read input, #assessment-read textarea").count() == 0
    clipped = phone.evaluate(
        "[...document.querySelectorAll('#assessment-read .answer')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert clipped == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_several_documents_at_once_each_with_its_kind(phone, live_server, office, tmp_path):
    cast, group = office
    grant = draft_grant(cast, group, documents=False)
    files = {}
    for name in ("proposal.pdf", "rab.pdf", "ktp.pdf"):
        files[name] = tmp_path / name
        files[name].write_bytes(PDF)
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/bantuan/")
    rows = phone.locator("#documents-rows [data-row]")
    expect(rows).to_have_count(5)  # one per missing document, kind chosen, and a free row
    expect(rows.nth(0).locator("select")).to_have_value("proposal")
    expect(rows.nth(4).locator("select")).to_have_value("")
    rows.nth(0).locator("input[type=file]").set_input_files(files["proposal.pdf"])
    rows.nth(1).locator("input[type=file]").set_input_files(files["rab.pdf"])
    # The KTP copy goes in the free row, its kind chosen there.
    rows.nth(4).locator("select").select_option("ktp")
    rows.nth(4).locator("input[type=file]").set_input_files(files["ktp.pdf"])
    phone.get_by_role("button", name="Unggah", exact=True).click()

    expect(phone).to_have_url(re.compile(r"/bantuan/#dokumen$"))
    checklist = phone.locator("#document-checklist")
    expect(checklist).to_contain_text("Proposal: proposal.pdf")
    expect(checklist).to_contain_text("Fotokopi KTP anggota: ktp.pdf")
    expect(checklist).to_contain_text("Fotokopi buku tabungan – belum ada")
    # Back where the worker was, not at the top of the page (once the page has finished loading:
    # the browser scrolls to #dokumen then).
    phone.wait_for_load_state()
    phone.wait_for_function("window.scrollY > 0")
    kinds = sorted(grant.documents.values_list("kind", flat=True))
    assert kinds == sorted([Document.Kind.PROPOSAL, Document.Kind.RAB, Document.Kind.KTP])


def test_sending_a_grant_proposal_asks_once(phone, live_server, office):
    cast, group = office
    grant = draft_grant(cast, group)
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/bantuan/")
    phone.once("dialog", lambda dialog: dialog.dismiss())
    phone.get_by_role("button", name="Kirim pengajuan bantuan").click()
    expect(phone.locator("#grant-status")).to_have_text("Draf")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.DRAFT
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Kirim pengajuan bantuan").click()
    expect(phone.locator("#grant-status")).to_have_text("Diajukan, menunggu keputusan")


SMALL_TARGETS = """() => [...document.querySelectorAll(
    '.btn, a.tap, .form-check, .form-control, .form-select, .page-link, summary'
)].filter(e => e.offsetParent !== null).map(e => {
    const box = e.getBoundingClientRect();
    return {what: e.outerHTML.slice(0, 80), height: box.height, width: box.width};
}).filter(t => t.height < 44 || (t.what.includes('btn') && t.width < 44)).concat(
    [...document.querySelectorAll('input[type=checkbox]')].filter(e => e.offsetParent !== null)
    .filter(e => e.getBoundingClientRect().width < 24 || !e.closest('.form-check'))
    .map(e => ({what: e.outerHTML.slice(0, 80), checkbox: e.getBoundingClientRect().width}))
)"""


def test_every_control_is_a_finger_wide_at_360(phone, live_server, office):
    cast, group = office
    draft_grant(cast, group, documents=False)
    fresh = GroupFactory(kelurahan=group.kelurahan)
    person = ParticipantFactory(kelurahan=group.kelurahan)
    log_in(phone, live_server.url, "pekerja")
    for path in (
        "/",
        f"/kelompok/{group.pk}/",
        f"/kelompok/{fresh.pk}/asesmen/",
        f"/kelompok/{fresh.pk}/rencana/",
        f"/kelompok/{group.pk}/bantuan/",
        f"/kelompok/{fresh.pk}/anggota/tambah/",
        f"/peserta/{person.pk}/",
        "/peserta/",
        "/peserta/baru/",
    ):
        phone.goto(f"{live_server.url}{path}")
        for add in phone.locator("[data-formset-add]").all():
            add.click()  # the rows a worker adds, with their delete boxes
        assert phone.evaluate(SMALL_TARGETS) == [], path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_an_export_that_would_be_empty_says_so(desk, live_server, office):
    cast, group = office
    log_in(desk, live_server.url, "staf")
    desk.goto(f"{live_server.url}/ekspor/")
    desk.get_by_label("Kelompok").select_option(str(group.pk))
    expect(desk.locator("#export-count")).to_have_text("Berkas akan berisi 10 baris.")
    # A group of Hadimulyo Barat with the kelurahan Karangrejo: nothing matches.
    desk.get_by_label("Kelurahan").select_option(label="Karangrejo")
    expect(desk.locator("#export-empty")).to_contain_text("Tidak ada peserta yang cocok")
    expect(desk.get_by_role("button", name="Unduh")).to_have_count(0)


def test_amounts_are_echoed_in_rupiah_while_typed(phone, live_server, office):
    cast, group = office
    draft_grant(cast, group)
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/bantuan/")
    amount = phone.locator("#id_amount_requested")
    amount.fill("")
    amount.press_sequentially("200000000")  # a zero too many
    expect(amount.locator("xpath=..").locator("[data-rupiah-echo]")).to_have_text(
        "= Rp 200.000.000"
    )
