"""After the grant, on a phone: a problem of the assessment referred and later resolved with
evidence; the outcome figures and a family's record readable at 360 px."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from families.models import Aid, Evidence, FollowUp
from grants.demo import PDF
from tests.cast import Cast, ready_group
from tests.factories import _kelurahan
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def no_sideways_scroll(page):
    page.wait_for_load_state()  # the style sheet applied, not only the text arrived
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_worker_refers_a_problem_and_later_marks_it_resolved_with_evidence(
    phone, live_server, tmp_path
):
    kelurahan = _kelurahan("1872011004")
    group = ready_group(Cast(kelurahan), kelurahan)
    log_in(phone, live_server.url, "pekerja")
    phone.goto(f"{live_server.url}/kelompok/{group.pk}/")
    unfollowed = phone.locator("#unfollowed")
    expect(unfollowed).to_contain_text("Tidak ada modal")
    unfollowed.get_by_role("link", name="Tindak lanjuti").click()

    # The form starts from the problem; the worker says for whom, where and by when.
    expect(phone.get_by_label("Yang dibutuhkan")).to_have_value("Tidak ada modal")
    phone.get_by_label("Yang dibutuhkan").fill("Pelatihan pembukuan usaha untuk seluruh anggota")
    phone.get_by_label("Layanan").select_option(label="Pelatihan keterampilan")
    phone.get_by_label("Target selesai").fill("31122026")  # slashes come by themselves
    expect(phone.get_by_label("Target selesai")).to_have_value("31/12/2026")
    assert no_sideways_scroll(phone)
    phone.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(phone.locator(".alert-success")).to_contain_text("Tindak lanjut sudah dicatat")
    expect(phone.locator("#follow-up-status")).to_contain_text("Terbuka")

    # Referred: the page asks where to.
    phone.get_by_role("radio", name="Dirujuk").check()
    phone.get_by_role("button", name="Simpan", exact=True).click()
    expect(phone.locator("#status .invalid-feedback, #status .alert-danger").first).to_be_visible()
    expect(phone.locator("#status")).to_contain_text("Sebutkan kantor atau instansi")
    phone.get_by_role("radio", name="Dirujuk").check()
    phone.get_by_label("Dirujuk ke").fill("UPTD Balai Latihan Kerja Kota Metro")
    phone.get_by_role("button", name="Simpan", exact=True).click()
    expect(phone.locator("#follow-up-status")).to_contain_text("Dirujuk")
    expect(phone.locator("#referred-to")).to_have_text("UPTD Balai Latihan Kerja Kota Metro")

    # Weeks later: resolved, with the certificate as evidence.
    certificate = tmp_path / "sertifikat-pelatihan.pdf"
    certificate.write_bytes(PDF)
    phone.get_by_role("radio", name="Selesai").check()
    phone.get_by_label("Catatan").fill("Sepuluh anggota lulus pelatihan pembukuan.")
    phone.locator("#status input[type=file]").set_input_files(str(certificate))
    assert no_sideways_scroll(phone)
    phone.get_by_role("button", name="Simpan", exact=True).click()
    expect(phone.locator("#follow-up-status")).to_contain_text("Selesai")
    expect(phone.locator("#evidence-list")).to_contain_text("sertifikat-pelatihan.pdf")
    expect(phone.locator("#events")).to_contain_text("Sepuluh anggota lulus pelatihan pembukuan.")

    follow_up = FollowUp.objects.get()
    assert follow_up.status == FollowUp.Status.RESOLVED
    assert list(follow_up.events.values_list("to_status", flat=True)) == [
        "open",
        "referred",
        "resolved",
    ]
    assert Evidence.objects.get().original_name == "sertifikat-pelatihan.pdf"

    phone.locator(".breadcrumb a:visible").click()
    expect(phone.locator("#follow-ups [data-status=resolved]")).to_be_visible()


def test_outcomes_and_a_family_record_read_on_a_phone(phone, live_server):
    call_command("load_demo", "--allow-without-debug", stdout=StringIO())
    from django.contrib.auth import get_user_model

    supervisor = get_user_model().objects.get(username="supervisor")
    supervisor.set_password("rahasia-uji")
    supervisor.save()
    log_in(phone, live_server.url, "supervisor")
    phone.goto(f"{live_server.url}/kelurahan/1872011004/")
    figures = phone.locator("#hasil")
    expect(figures.locator('[data-figure="median-change"]')).to_have_text("+Rp 325.000")
    expect(phone.locator("#story [data-year]")).to_have_count(2)
    for chart in figures.locator("svg").all():
        assert chart.bounding_box()["width"] <= 360
    assert no_sideways_scroll(phone)

    phone.goto(f"{live_server.url}/program/")
    expect(phone.locator('#hasil [data-figure="median-change"]')).to_have_text("+Rp 225.000")
    assert no_sideways_scroll(phone)

    # The household of the member with a flagged food parcel: its record, for the case file.
    aid = Aid.objects.filter(possible_double=True).select_related("participant").first()
    phone.goto(f"{live_server.url}/peserta/{aid.participant.pk}/")
    expect(phone.locator("#aid-list")).to_contain_text("kemungkinan ganda")
    phone.get_by_role("link", name="Riwayat keluarga").click()
    expect(phone.locator("h1")).to_have_text("Riwayat keluarga")
    expect(phone.locator("#card-aid")).to_contain_text("Modal usaha")
    expect(phone.locator("#card-aid")).to_contain_text("Baznas Kota Metro")
    expect(phone.locator("#card-outcomes")).to_contain_text("3 bulan setelah pencairan")
    assert no_sideways_scroll(phone)
