"""What a user meets on the way through a cycle, in Chromium: printing without the screen's
controls, ranks moved by keyboard and announced, the NIK filling sex and birth date, a save bar
that never hides the field in focus, file fields in Indonesian on an English phone, a draft not
offered back once saved, and a refused form that takes the reader to its summary."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.models import NeedsAssessment
from tests.assessments.helpers import save_assessment
from tests.cast import Cast, approved_grant, disburse, draft_grant, ready_group
from tests.conftest import fill_group
from tests.factories import GroupFactory, ParticipantFactory, _kelurahan, record_rank
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(transactional_db):
    kelurahan = _kelurahan("1872011004")
    return Cast(kelurahan), kelurahan


def test_nothing_meant_for_the_screen_is_printed(desk, live_server, office):
    cast, kelurahan = office
    group = ready_group(cast, kelurahan)
    grant = approved_grant(cast, group)
    tranche = disburse(cast, grant, 1_000_000)
    member = group.memberships.first().participant
    log_in(desk, live_server.url, "staf")
    for path, toolbar in (
        ("/laporan/rekap/", ".toolbar"),
        (f"/peserta/{member.pk}/riwayat-keluarga/", ".toolbar"),
        (f"/bantuan/pencairan/{tranche.pk}/berita-acara/", ".noprint"),
    ):
        desk.goto(f"{live_server.url}{path}")
        desk.emulate_media(media="screen")
        expect(desk.locator(toolbar).first).to_be_visible()
        desk.emulate_media(media="print")
        for element in desk.locator(f"{toolbar}, .no-print, .noprint").all():
            expect(element).to_be_hidden()
        desk.emulate_media(media="screen")


def test_problems_move_by_keyboard_keep_the_focus_and_say_their_new_rank(
    phone, live_server, office
):
    cast, kelurahan = office
    group = GroupFactory(kelurahan=kelurahan)
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/asesmen/")
    add = phone.get_by_role("button", name="+ Tambah masalah")
    add.click()
    phone.locator("#id_problems-0-description").fill("Belum punya BPJS")
    add.click()
    phone.locator("#id_problems-1-description").fill("Tidak punya modal")
    up = phone.get_by_role("button", name="Naikkan masalah 2", exact=True)
    up.focus()
    phone.keyboard.press("Enter")
    # The same button, now on the first row, keeps the focus and names its new place.
    focused = phone.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Naikkan masalah 1"
    expect(phone.locator("#rank-status")).to_have_text(
        "Masalah dipindah: sekarang peringkat 1 dari 2."
    )
    expect(phone.locator("#id_problems-1-rank")).to_have_value("1")


def test_the_nik_fills_sex_and_birth_date_as_it_is_typed(phone, live_server, office):
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/peserta/baru/")
    phone.wait_for_load_state()
    # A woman born on 12 March 1985: day 52 (12 + 40), month 03, year 85.
    phone.get_by_label("NIK").press_sequentially("1872 0152 0385 0007")
    expect(phone.locator("#id_sex")).to_have_value("P")
    expect(phone.locator("#id_birth_date")).to_have_value("12/03/1985")
    # Typed over by hand, the date stays as typed when the NIK changes again.
    phone.locator("#id_birth_date").fill("13/03/1985")
    phone.get_by_label("NIK").fill("")
    phone.get_by_label("NIK").press_sequentially("1872011203850007")
    expect(phone.locator("#id_birth_date")).to_have_value("13/03/1985")
    expect(phone.locator("#id_sex")).to_have_value("L")


COVERED = """() => {
  const bar = document.querySelector('.save-bar');
  const element = document.activeElement;
  if (!element || element === document.body || bar.contains(element)) return null;
  const box = element.getBoundingClientRect();
  const top = bar.getBoundingClientRect().top;
  const visible = box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= top + 1;
  return visible ? null : {what: element.outerHTML.slice(0, 80), bottom: box.bottom, bar: top};
}"""


@pytest.mark.parametrize("width", [360, 1280])
def test_tabbing_through_the_long_forms_never_hides_the_focused_field(
    chromium, live_server, office, width
):
    cast, kelurahan = office
    fresh = GroupFactory(kelurahan=kelurahan)
    fill_group(fresh, 10)
    planned = ready_group(cast, kelurahan)
    from assessments.models import ActionPlan

    ActionPlan.objects.filter(group=planned).update(status=ActionPlan.Status.RETURNED)
    # Reduced motion: the page scrolls at once (no smooth scrolling), so each stop can be measured.
    context = chromium.new_context(
        viewport={"width": width, "height": 740}, locale="id-ID", reduced_motion="reduce"
    )
    page = context.new_page()
    log_in(page, live_server.url, "pekerja")
    for path in (f"/kelompok/{fresh.pk}/asesmen/", f"/kelompok/{planned.pk}/rencana/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state()
        # Something typed: the save bar is now stuck to the bottom of the screen.
        page.locator("form textarea, form input[type=text]").first.press_sequentially("x")
        expect(page.locator("form.is-changed .save-bar")).to_have_count(1)
        stops, covered = 0, []
        for _ in range(90):
            page.keyboard.press("Tab")
            page.evaluate("() => new Promise(done => setTimeout(done, 0))")
            stops += 1
            problem = page.evaluate(COVERED)
            if problem:
                covered.append(problem)
        assert covered == [], (path, covered[:3])
        assert stops == 90
    context.close()


def test_file_fields_speak_indonesian_on_an_english_phone(chromium, live_server, office, tmp_path):
    cast, kelurahan = office
    group = ready_group(cast, kelurahan)
    draft_grant(cast, group, documents=False)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    log_in(page, live_server.url, "pekerja")
    page.goto(f"{live_server.url}/kelompok/{group.pk}/bantuan/")
    page.wait_for_load_state()
    button = page.locator("label.file-button").first
    expect(button).to_have_text("Pilih berkas")
    expect(page.locator(".file-chosen").first).to_have_text("Belum ada berkas dipilih")
    box = button.bounding_box()
    assert box["height"] >= 44
    path = tmp_path / "ktp.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.locator("input[type=file]").first.set_input_files(str(path))
    expect(page.locator(".file-chosen").first).to_have_text("ktp.pdf")
    context.close()


def test_a_saved_draft_is_not_offered_back(phone, live_server, office):
    cast, kelurahan = office
    group = GroupFactory(kelurahan=kelurahan)
    fill_group(group, 10)
    log_in(phone, live_server.url, "pekerja")
    url = f"{live_server.url}/kelompok/{group.pk}/asesmen/"
    phone.goto(url)
    phone.wait_for_load_state()
    phone.get_by_label("Tempat").fill("Balai RW 02")
    phone.get_by_role("button", name="+ Tambah masalah").click()
    phone.locator("#id_problems-0-description").fill("Tidak punya modal")
    phone.wait_for_timeout(600)  # the draft is kept on the device
    phone.get_by_role("button", name="Simpan draf").click()
    expect(phone.get_by_role("alert")).to_contain_text("Draf disimpan")
    expect(phone.locator("#assessment-form-draft")).to_be_hidden()
    phone.goto(url)
    expect(phone.locator("#assessment-form-draft")).to_be_hidden()
    assert NeedsAssessment.objects.get(group=group).venue == "Balai RW 02"


def test_a_refused_submission_takes_the_focus_to_what_to_correct(phone, live_server, office):
    cast, kelurahan = office
    group = GroupFactory(kelurahan=kelurahan)
    fill_group(group, 10)
    save_assessment(group, venue="", start_date=datetime.date(2026, 8, 7))
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/asesmen/")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Kirim untuk ditinjau").click()
    summary = phone.locator("#form-errors")
    expect(summary).to_contain_text("Isi tempat asesmen dilaksanakan.")
    assert phone.evaluate("document.activeElement.id") == "form-errors"
    summary.get_by_role("link", name="Isi tempat asesmen dilaksanakan.").click()
    assert phone.evaluate("document.activeElement.id") == "id_venue"
    assert phone.locator("#id_venue").get_attribute("aria-invalid") == "true"


def test_the_registration_from_a_group_puts_the_person_in_it(phone, live_server, office):
    cast, kelurahan = office
    group = GroupFactory(kelurahan=kelurahan, name="Kelompok Keripik Maju")
    ParticipantFactory(kelurahan=kelurahan)  # someone else already registered
    record_rank("1872011501150099", 1)  # her household, in today's DTSEN list
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/anggota/tambah/")
    phone.get_by_role("link", name="Daftarkan peserta baru").click()
    phone.wait_for_load_state()
    phone.get_by_label("NIK").press_sequentially("1872015203850007")
    phone.get_by_label("Nomor kartu keluarga (No. KK)").fill("1872011501150099")
    phone.get_by_label("Nama lengkap").fill("Sumarni")
    phone.get_by_label("Tempat lahir").fill("Metro")
    phone.get_by_label("Alamat").fill("Jl. Kenanga 3")
    phone.locator("#id_rt").fill("001")
    phone.locator("#id_rw").fill("002")
    phone.get_by_label("Jumlah anggota keluarga").fill("3")
    phone.get_by_label("Setuju datanya diolah").check()
    phone.locator("#id_kelompok-role").select_option("treasurer")
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_role("alert")).to_contain_text(
        "Sumarni terdaftar dan masuk Kelompok Keripik Maju sebagai Bendahara."
    )
    expect(phone.locator("main")).to_contain_text("Sumarni")


def test_a_prefilled_date_is_replaced_by_the_digits_typed_over_it(phone, live_server, office):
    cast, kelurahan = office
    group = GroupFactory(kelurahan=kelurahan)
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/tindak-lanjut/baru/")
    phone.wait_for_load_state()
    due = phone.locator("#id_due_date")
    assert len(due.input_value()) == 10  # a target date offered
    due.click()
    phone.wait_for_timeout(100)
    phone.keyboard.type("08112026")
    expect(due).to_have_value("08/11/2026")
