"""The supervisors' desk at 1280 px, the programme page on a phone and a desk, the last steps of
a grant taken from its page, and handover minutes that print on one A4 page."""

import re

import pytest
from playwright.sync_api import expect

from grants import services
from grants.models import Disbursement, Grant
from tests.cast import (
    Cast,
    approved_grant,
    disburse,
    draft_grant,
    ready_group,
    spend,
    submitted_grant,
)
from tests.factories import ProgramFactory, _kelurahan
from tests.helpers import log_in, printed_pages, signed_with_its_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programme(transactional_db):
    """Grants in several states, one group each, in Hadimulyo Barat."""
    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    program = ProgramFactory()
    draft_grant(cast, ready_group(cast, kelurahan, program=program))
    submitted_grant(cast, ready_group(cast, kelurahan, program=program))
    approved_grant(cast, ready_group(cast, kelurahan, program=program))
    grant = approved_grant(cast, ready_group(cast, kelurahan, program=program))
    disburse(cast, grant, 2_550_000, "T-1")
    spend(cast, grant, 2_550_000)
    grant.refresh_from_db()
    return cast, grant


def page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_the_desk_shows_status_and_money_inside_the_viewport_at_1280(desk, live_server, programme):
    log_in(desk, live_server.url, "kasi")
    desk.goto(f"{live_server.url}/admin/grants/grant/")
    rows = desk.locator("#result_list tbody tr")
    expect(rows).to_have_count(4)
    assert page_width(desk) <= 1280
    for index in range(4):
        row = rows.nth(index)
        for column in ("status_badge", "requested", "approved", "disbursed_display"):
            box = row.locator(f"td.field-{column}").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, (index, column, box)
            assert row.locator(f"td.field-{column}").is_visible()
    desk.screenshot(path="/tmp/metro-desk-1280.png")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_programme_page_reads_without_sideways_scrolling(
    chromium, live_server, programme, width
):
    context = chromium.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server.url, "kasi")
    page.get_by_role(
        "link", name="Program", exact=True
    ).first.click() if width > 700 else page.goto(f"{live_server.url}/program/")
    expect(page.get_by_role("heading", name="Program sekilas")).to_be_visible()
    expect(page.locator("[data-total=participants]")).to_have_text("40")
    expect(page.locator("[data-status=disbursed]")).to_have_text("1")
    # The grants' two charts and the members by desil, then the outcome figures' own (the aid
    # by kind, here).
    assert page.locator("section:not(#hasil) svg.chart").count() == 3
    assert page.locator("svg.chart").first.is_visible()
    assert page_width(page) <= width
    page.screenshot(path=f"/tmp/metro-dashboard-{width}.png", full_page=True)
    context.close()


def test_supervisor_accepts_the_lpj_and_closes_the_grant_from_its_page(
    phone, live_server, programme
):
    cast, grant = programme
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())  # "The decision is recorded…: go ahead?"
    log_in(page, live_server.url, "kabid")
    page.goto(f"{live_server.url}/kelompok/{grant.group_id}/bantuan/")
    lpj = page.locator("[data-step=accept_accountability]")
    expect(lpj).to_contain_text("sudah menutup dana yang diterima")
    lpj.get_by_label("catatan").fill("Kuitansi lengkap")
    lpj.get_by_role("button", name="Terima laporan pertanggungjawaban (LPJ)").click()
    expect(page.locator("#grant-status")).to_have_text("LPJ diterima")

    close = page.locator("[data-step=close]")
    close.get_by_label("catatan penutupan").fill("Usaha berjalan mandiri")
    close.get_by_role("button", name="Tutup bantuan").click()
    expect(page.locator("#grant-status")).to_have_text("Selesai")
    expect(page.locator("#grant-history")).to_contain_text("Usaha berjalan mandiri")
    assert page.locator("[data-step]").count() == 0
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CLOSED
    assert list(grant.events.values_list("to_status", flat=True))[-2:] == ["accounted", "closed"]


def test_supervisor_closes_a_grant_from_its_admin_page(desk, live_server, programme):
    cast, grant = programme
    services.grant_mark_accounted(grant=grant, by=cast.supervisor)
    log_in(desk, live_server.url, "kasi")
    desk.goto(f"{live_server.url}/admin/grants/grant/{grant.pk}/change/")
    desk.locator("button[data-step=close]").click()
    desk.get_by_label("catatan penutupan").fill("Pendampingan selesai")
    desk.locator("input[type=submit][value='Tutup bantuan']").click()
    expect(desk).to_have_url(re.compile(rf"/admin/grants/grant/{grant.pk}/change/$"))
    expect(desk.locator(".messagelist")).to_contain_text("Selesai.")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CLOSED


def test_handover_minutes_print_on_one_a4_page_with_the_longest_names(desk, live_server, programme):
    """The treasurer and the auditor sign one sheet: with the longest realistic names and titles
    (and the QR line for complaints), the signatures stay on the page of the text."""
    cast, grant = programme
    disbursement = Disbursement.objects.select_related("received_by__participant").get(grant=grant)
    group = grant.group
    group.name = "Kelompok Usaha Bersama Pengolahan Jamu Tradisional Sekar Arum Makmur Sejahtera"
    group.save(update_fields=["name"])
    for number, membership in enumerate(group.memberships.select_related("participant")):
        membership.participant.full_name = f"Hj. Siti Nurhasanah Binti Abdurrahman Wahid {number}"
        membership.participant.save(update_fields=["full_name"])
    staff = disbursement.handed_over_by
    staff.first_name, staff.last_name = "Drs. H. Muhammad Syaifuddin", "Prawiranegara, M.Si."
    staff.save(update_fields=["first_name", "last_name"])
    log_in(desk, live_server.url, "staf")
    desk.goto(f"{live_server.url}/bantuan/pencairan/{disbursement.pk}/berita-acara/")
    expect(desk.locator("#signatures")).to_contain_text("Mengetahui")
    sheets = printed_pages(desk)
    assert len(sheets) == 1
    assert signed_with_its_text(sheets, "Mengetahui", "Demikian berita acara ini dibuat")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_long_report_is_read_part_by_part(chromium, live_server, programme, settings, width):
    """A report longer than a part opens on its first part and leads to the next, on a phone
    as on a desk; each part says which groups it holds."""
    settings.REPORT_GROUPS_PER_PART = 3
    cast, grant = programme
    context = chromium.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server.url, "kasi")
    page.goto(f"{live_server.url}/laporan/rekap/?program={grant.program_id}")
    expect(page.locator("#report-part")).to_have_text("Bagian 1 dari 2: kelompok 1–3 dari 4")
    expect(page.locator("#report-table tbody tr")).to_have_count(3)
    expect(page.get_by_role("link", name="Bagian sebelumnya")).to_have_count(0)
    page.get_by_role("link", name="Bagian berikutnya →").click()
    expect(page.locator("#report-part")).to_have_text("Bagian 2 dari 2: kelompok 4–4 dari 4")
    expect(page.locator("#report-table tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="Bagian berikutnya →")).to_have_count(0)
    assert page_width(page) <= width
    page.screenshot(path=f"/tmp/metro-report-part-{width}.png", full_page=True)
    page.get_by_role("link", name="← Bagian sebelumnya").click()
    expect(page.locator("#report-part")).to_contain_text("Bagian 1 dari 2")
    context.close()


def test_admin_pages_need_no_inline_style(desk, live_server, programme):
    """The Content-Security-Policy refuses inline styles; the desk fixture fails on any refusal."""
    _cast, grant = programme
    log_in(desk, live_server.url, "kasi")
    for path in (
        "/admin/",
        "/admin/grants/grant/",
        f"/admin/grants/grant/{grant.pk}/change/",
        f"/admin/grants/grant/{grant.pk}/history/",
        "/admin/grants/disbursement/",
        "/admin/participants/participant/",
        f"/admin/participants/participant/{grant.group.memberships.first().participant_id}/history/",
        "/admin/participants/kecamatan/",
        "/admin/families/followup/",
    ):
        desk.goto(live_server.url + path)
        expect(desk.locator("#content")).to_be_visible()
    desk.goto(f"{live_server.url}/admin/grants/grant/")
    badge = desk.locator(".ms-badge").first
    assert badge.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
