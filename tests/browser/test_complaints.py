"""A resident files a complaint on a phone, follows it by number and code, reads the office's
answer and appeals; the supervisor handles it at a desk."""

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint
from tests.factories import UserFactory, _kelurahan
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_complains_on_a_phone_and_follows_it_by_number(phone, desk, live_server):
    _kelurahan("1872011004")
    UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    url = live_server.url

    # From the login page, without an account.
    phone.goto(f"{url}/masuk/")
    phone.get_by_role("link", name="kirim pengaduan").click()
    expect(phone.get_by_role("heading", name="Kirim pengaduan")).to_be_visible()
    phone.get_by_label("Kategori").select_option(label="Dana dipotong (potongan)")
    phone.get_by_label("Apa yang terjadi").fill("Pendek")
    phone.get_by_label("Kelurahan tempat kejadian").select_option(label="Hadimulyo Barat")
    phone.get_by_label("Anonim").check()
    phone.get_by_role("button", name="Kirim pengaduan").click()
    expect(phone.get_by_role("alert")).to_contain_text("paling sedikit 20 karakter")
    assert Complaint.objects.count() == 0
    phone.get_by_label("Apa yang terjadi").fill(
        "Modal kelompok jamu dipotong Rp 500.000 oleh orang yang mengaku dari dinas."
    )
    phone.get_by_role("button", name="Kirim pengaduan").click()
    expect(phone.get_by_role("heading", name="Pengaduan diterima")).to_be_visible()
    number = phone.locator("#complaint-number").inner_text()
    code = phone.locator("#check-code").inner_text()
    assert code not in phone.url and number not in phone.url
    # The number stands on one line at 360 px, and is copied in one tap.
    box = phone.locator("#complaint-number").bounding_box()
    line = phone.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('complaint-number')).lineHeight)"
    )
    assert box["height"] < 1.5 * line
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    phone.get_by_role("button", name="Salin nomor dan kode").click()
    expect(phone.get_by_role("button", name="Tersalin")).to_be_visible()
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert number in copied and code in copied
    phone.screenshot(path="/tmp/metro-complaint-receipt-360.png", full_page=True)
    complaint = Complaint.objects.get(number=number)
    assert complaint.anonymous and complaint.kelurahan.name == "Hadimulyo Barat"

    # The supervisor answers it at a desk.
    log_in(desk, url, "kasi")
    desk.goto(f"{url}/pengaduan/daftar/")
    desk.get_by_role("link", name=number).click()
    desk.get_by_label("Ditelaah: jawaban pertama diberikan").check()
    desk.get_by_label("Jawaban atau catatan").fill("Kami periksa bukti transfer kelompok.")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="Catat langkah").click()
    expect(desk.locator("#complaint-status")).to_have_text("Ditelaah")
    desk.get_by_label("Ditolak, dengan alasannya").check()
    desk.get_by_label("Jawaban atau catatan").fill("Potongan itu iuran kelompok yang disepakati.")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="Catat langkah").click()
    expect(desk.locator("#complaint-status")).to_have_text("Ditolak")
    desk.screenshot(path="/tmp/metro-complaint-detail-1280.png", full_page=True)

    # The resident reads the answer by number and code, and appeals once; the receipt's link
    # brought the number, and the last digits alone will do.
    phone.goto(f"{url}/pengaduan/cek/?nomor={number}")
    expect(phone.get_by_label("Nomor pengaduan")).to_have_value(number)
    phone.get_by_label("Nomor pengaduan").fill(str(int(number.rsplit("-", 1)[1])))
    phone.get_by_label("Kode cek").fill(code.lower())
    phone.get_by_role("button", name="Tampilkan status").click()
    expect(phone.locator("#status-now")).to_have_text("Ditolak")
    expect(phone.locator("#public-answer")).to_contain_text("iuran kelompok")
    phone.get_by_label("Mengapa Anda tidak menerima jawabannya").fill(
        "Tidak pernah ada kesepakatan iuran; tanyakan ke anggota lain."
    )
    phone.get_by_role("button", name="Kirim banding").click()
    expect(phone.locator("#status-now")).to_have_text("Banding")
    expect(phone.locator("#appeal")).to_have_count(0)
    phone.screenshot(path="/tmp/metro-complaint-status-360.png", full_page=True)
    assert Complaint.objects.get().appeals == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
