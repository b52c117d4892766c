"""One whole cycle through the pages alone, from an empty programme to a closed grant.

Staff create the programme in admin, a supervisor assigns the social worker to a kelurahan, staff
import a DTSEN list of desil 1-5 dated today (the households' ranks: who may join); the worker,
on a 360 px phone, forms the group by registering ten people straight into it, records
the assessment and the plan; the supervisor reviews the assessment, returns the plan once and
approves it, approves the grant in admin after seeing its documents; staff record two tranches
from the grant's own "record a disbursement"; the worker records the spending with receipts and
a visit (made without signal: seen in place while it waits, saved when the signal returns),
refers a family need and records an aid from another programme; the supervisor accepts the LPJ
against the money, closes the grant and finds it on the programme page; the head of office reads
it all on one page. Each step asserts what its user sees.
"""

import datetime

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from grants.demo import PDF
from grants.models import Disbursement, Grant
from participants.models import (
    Candidate,
    DtsenList,
    HouseholdRank,
    Membership,
    ParticipantGroup,
    Program,
)
from tests.factories import UserFactory, _kelurahan
from tests.helpers import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.long]

ROLES = ["chair", "secretary", "treasurer"] + ["member"] * 7


def day(date):
    return date.strftime("%d/%m/%Y")


def accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())


def nik(serial):
    # Hadimulyo Barat's kecamatan (187201), born 12/08/1985, a man; serials 0001–0010.
    return f"187201120885{serial:04d}"


@pytest.fixture
def people(transactional_db):
    kelurahan = _kelurahan("1872011004")
    staff = UserFactory(username="staf", is_staff=True, roles=["Staf Administrasi"])
    supervisor = UserFactory(
        username="kasi",
        first_name="Hendra",
        last_name="Saputra",
        is_staff=True,
        roles=["Supervisor"],
    )
    worker = UserFactory(
        username="pekerja", first_name="Rina", last_name="Wulandari", roles=["Pekerja Sosial"]
    )
    UserFactory(username="kadis", is_staff=True, roles=["Kepala Dinas"])
    return kelurahan, staff, supervisor, worker


def test_a_whole_cycle_from_an_empty_programme_to_a_closed_grant(
    chromium, live_server, people, tmp_path
):
    kelurahan, staff, supervisor, worker = people
    url = live_server.url
    today = timezone.localdate()
    pdf = tmp_path / "berkas.pdf"
    pdf.write_bytes(PDF)
    desk = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    phone = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    office, field = desk.new_page(), phone.new_page()
    for page in (office, field):
        page.set_default_timeout(15_000)
        accept_dialogs(page)

    # 1. Staff create the programme in admin.
    log_in(office, url, "staf")
    office.goto(f"{url}/admin/participants/program/add/")
    office.locator("#id_name").fill("Pemberdayaan Keluarga Fakir Miskin")
    office.locator("#id_year").fill(str(today.year))
    office.locator("#id_start_date").fill(day(today - datetime.timedelta(days=90)))
    office.locator("#id_end_date").fill(day(today + datetime.timedelta(days=270)))
    office.locator("#id_total_budget").fill("250000000")
    office.locator("#id_grant_ceiling_per_group").fill("25000000")
    office.locator("input[name=_save]").click()
    expect(office.locator(".messagelist")).to_contain_text("berhasil ditambahkan")
    program = Program.objects.get()

    # 2. The supervisor assigns the worker to Hadimulyo Barat.
    log_in(office, url, "kasi")
    office.goto(f"{url}/admin/participants/kelurahanassignment/add/")
    office.locator("#id_user").select_option(str(worker.pk))
    office.locator("#id_kelurahan + .select2 .select2-selection").click()
    office.locator(".select2-search__field").fill("Hadimulyo Barat")
    office.locator(".select2-results__option", has_text="Hadimulyo Barat").first.click()
    office.locator("input[name=_save]").click()
    expect(office.locator(".messagelist")).to_contain_text("berhasil ditambahkan")
    assert worker.kelurahan_assignments.get().kelurahan == kelurahan

    # 2b. Staff import the DTSEN list of desil 1-5 dated today: the ten households, desil 1 and 2.
    dtsen = tmp_path / "dtsen.xlsx"
    sheet = Workbook()
    sheet.active.append(["NIK", "No. KK", "Nama", "Desil", "Alamat", "Kelurahan"])
    for number in range(1, len(ROLES) + 1):
        sheet.active.append([nik(number), f"18720115011{number:05d}", f"Warga {number}",
                             1 + number % 2, f"Jl. Kenanga {number}",
                             "Hadimulyo Barat"])  # fmt: skip
    sheet.save(dtsen)
    log_in(office, url, "staf")
    office.goto(f"{url}/admin/participants/householdrank/import/")
    office.locator("#id_import_file").set_input_files(str(dtsen))
    office.get_by_label("Data per tanggal").fill(f"{today:%Y-%m-%d}")
    office.get_by_label("Desil tertinggi dalam daftar").fill("5")
    office.locator("#content form input[type=submit]").first.click()
    expect(office.locator("#import-summary")).to_contain_text("10 peringkat keluarga")
    office.locator("form[action$='process_import/'] input[type=submit]").click()
    expect(office.locator(".messagelist")).to_contain_text("10 peringkat keluarga dicatat")
    assert HouseholdRank.objects.count() == 10 and Candidate.objects.count() == 10
    assert DtsenList.objects.get().scope == "desil 1–5"
    log_in(office, url, "kasi")  # the desk is the supervisor's again

    # 3. The worker forms the group on a phone and registers ten people straight into it.
    log_in(field, url, "pekerja")
    expect(field.locator("main")).to_contain_text("Hadimulyo Barat")
    field.goto(f"{url}/kelompok/baru/")
    field.locator("#id_name").fill("Kelompok Jamu Sehat")
    field.locator("#id_program").select_option(str(program.pk))
    field.locator("#id_kelurahan").select_option(str(kelurahan.pk))
    field.locator("#id_business_type").select_option("herbal_drinks")
    field.get_by_role("button", name="Simpan").click()
    expect(field.get_by_role("alert")).to_contain_text("Tersimpan: Kelompok Jamu Sehat.")
    group = ParticipantGroup.objects.get()
    for number, role in enumerate(ROLES, 1):
        field.goto(f"{url}/kelompok/{group.pk}/anggota/tambah/")
        field.get_by_role("link", name="Daftarkan peserta baru").click()
        field.wait_for_load_state()
        field.locator("#id_nik").press_sequentially(nik(number))
        expect(field.locator("#id_birth_date")).to_have_value("12/08/1985")  # from the NIK
        field.locator("#id_kk_number").fill(f"18720115011{number:05d}")
        field.locator("#id_full_name").fill(f"Warga {number}")
        field.locator("#id_birth_place").fill("Metro")
        field.locator("#id_address").fill(f"Jl. Kenanga {number}")
        field.locator("#id_rt").fill("001")
        field.locator("#id_rw").fill("002")
        field.locator("#id_monthly_income").fill("600000")
        field.locator("#id_household_size").fill("4")
        field.locator("#id_consent_given").check()
        field.locator("#id_kelompok-role").select_option(role)
        field.get_by_role("button", name="Simpan").click()
        expect(field.get_by_role("alert")).to_contain_text(f"Warga {number} terdaftar dan masuk")
    assert group.memberships.count() == 10
    assert field.evaluate("document.documentElement.scrollWidth") <= 360

    # 4. The assessment: the income typed at registration is already there.
    field.goto(f"{url}/kelompok/{group.pk}/asesmen/")
    field.wait_for_load_state()
    expect(field.locator("#id_profiles-0-current_income")).to_have_value("600000")
    field.locator("#id_start_date").fill(day(today - datetime.timedelta(days=60)))
    field.locator("#id_end_date").fill(day(today - datetime.timedelta(days=59)))
    field.locator("#id_venue").fill("Balai Kelurahan Hadimulyo Barat")
    field.get_by_role("button", name="+ Tambah masalah").click()
    field.locator("#id_problems-0-category").select_option("economic")
    field.locator("#id_problems-0-description").fill("Tidak punya modal usaha")
    for index in range(10):
        if index:
            field.locator(f"#member-{index + 1} summary").click()
        field.locator(f"#id_profiles-{index}-interests").fill("membuat jamu")
        field.locator(f"#id_profiles-{index}-skills").fill("meracik kunyit asam")
    field.locator("#id_chosen_business").select_option("herbal_drinks")
    field.locator("#id_chosen_business_reason").fill("Anggota biasa meracik jamu.")
    field.get_by_role("button", name="Kirim untuk ditinjau").click()
    expect(field.get_by_role("alert")).to_contain_text("Asesmen kebutuhan dikirim untuk ditinjau.")

    office.goto(f"{url}/kelompok/{group.pk}/asesmen/")
    office.locator("button[name=decision][value=approve]").click()
    expect(office.get_by_role("alert").first).to_be_visible()

    # 5. The plan, returned once with a note and sent again.
    def fill_plan():
        field.goto(f"{url}/kelompok/{group.pk}/rencana/")
        field.wait_for_load_state()
        field.locator("#id_goal").fill("Produksi jamu kemasan botol")
        if not field.locator("#id_activities-0-description").count():
            field.get_by_role("button", name="+ Tambah kegiatan").click()
        field.locator("#id_activities-0-description").fill("Belanja bahan dan botol")
        field.locator("#id_activities-0-responsible").select_option(index=1)
        field.locator("#id_activities-0-start_date").fill(day(today - datetime.timedelta(days=20)))
        field.locator("#id_activities-0-end_date").fill(day(today + datetime.timedelta(days=20)))
        if not field.locator("#id_budget-0-item").count():
            field.get_by_role("button", name="+ Tambah baris anggaran").click()
        field.locator("#id_budget-0-item").fill("Bahan jamu dan botol")
        field.locator("#id_budget-0-quantity").fill("1")
        field.locator("#id_budget-0-unit").fill("paket")
        field.locator("#id_budget-0-unit_price").fill("20000000")
        field.get_by_role("button", name="Kirim untuk disetujui").click()
        expect(field.get_by_role("alert")).to_contain_text("Rencana tindak dikirim")

    fill_plan()
    office.goto(f"{url}/kelompok/{group.pk}/rencana/")
    office.locator("#id_note").fill("Rinci jumlah botol per bulan.")
    office.locator("button[name=decision][value=return]").click()
    field.goto(f"{url}/kelompok/{group.pk}/rencana/")
    expect(field.locator("main")).to_contain_text("Rinci jumlah botol per bulan.")
    # The saved plan comes back as it was: no stale copy on the phone is offered.
    expect(field.locator("#plan-form-draft")).to_be_hidden()
    fill_plan()
    office.goto(f"{url}/kelompok/{group.pk}/rencana/")
    office.locator("button[name=decision][value=approve]").click()

    # 6. The proposal with its documents, on the phone; the file fields speak Indonesian.
    field.goto(f"{url}/kelompok/{group.pk}/bantuan/")
    field.locator("#id_amount_requested").fill("20000000")
    field.locator("#id_purpose").fill("Modal usaha jamu kemasan")
    field.locator("#id_bank_name").fill("Bank Lampung")
    field.locator("#id_bank_account_number").fill("381 0123 4567 89")  # as in the passbook
    field.locator("#id_bank_account_holder").fill("Kelompok Jamu Sehat")
    field.get_by_role("button", name="Simpan pengajuan").click()
    expect(field.locator("label.file-button").first).to_have_text("Pilih berkas")
    rows = field.locator("#documents-rows [data-row]")
    for index, kind in enumerate(("proposal", "rab", "bank_book", "ktp")):
        if rows.count() <= index:
            field.get_by_role("button", name="+ Berkas lain").click()
        rows.nth(index).locator("select").select_option(kind)
        rows.nth(index).locator("input[type=file]").set_input_files(str(pdf))
    field.get_by_role("button", name="Unggah").click()
    alert = field.locator("#upload-form .alert-danger")
    assert alert.count() == 0, alert.inner_text()
    expect(field.locator("#document-checklist")).not_to_contain_text("belum ada")
    field.get_by_role("button", name="Kirim pengajuan bantuan").click()
    expect(field.locator("#grant-status")).to_have_text("Diajukan, menunggu keputusan")
    grant = Grant.objects.get()
    assert grant.bank_account_number == "3810123456789"

    # 7. The supervisor approves in admin.
    office.goto(f"{url}/admin/grants/grant/{grant.pk}/change/")
    office.locator(".grant-step[data-step=approve]").click()
    office.locator("input[type=submit].default").click()
    expect(office.locator(".messagelist")).to_contain_text("Disetujui")

    # 8. Staff record two tranches from the grant's own "record a disbursement".
    log_in(office, url, "staf")
    for number, amount in ((1, 12_000_000), (2, 8_000_000)):
        office.goto(f"{url}/admin/grants/grant/{grant.pk}/change/")
        expect(office.locator("#tranche-money")).to_contain_text("sisa yang belum dicairkan")
        office.locator("#record-tranche").click()
        choices = office.locator("#id_received_by option:not([value=''])")
        expect(choices).to_have_count(2)  # this group's chair and treasurer only
        office.locator("#id_date").fill(day(today))
        office.locator("#id_amount").fill(str(amount))
        office.locator("#id_method").select_option("transfer")
        office.locator("#id_reference_number").fill(f"TRF-{number:03d}")
        office.locator("#id_received_by").select_option(index=1)
        office.locator("input[name=_save]").click()
        expect(office.locator(".messagelist")).to_contain_text("berhasil ditambahkan")
    assert Disbursement.objects.filter(grant=grant).count() == 2
    office.goto(f"{url}/admin/grants/grant/{grant.pk}/change/")
    expect(office.locator("#record-tranche")).to_have_count(0)  # nothing left to disburse
    tranche = Disbursement.objects.filter(grant=grant).first()
    office.goto(f"{url}/bantuan/pencairan/{tranche.pk}/berita-acara/")
    expect(office.locator("#minutes-number")).to_contain_text("/BAST-BMU/1872011004/")

    # 9. The worker records what was bought, with receipts, and a visit.
    for description, amount in (("Bahan jamu", "12000000"), ("Botol dan label", "8000000")):
        field.goto(f"{url}/kelompok/{group.pk}/bantuan/")
        field.locator("#id_description").fill(description)
        field.locator("#id_spent_on").fill(day(today))
        field.locator("#id_actual_amount").fill(amount)
        field.locator("#id_receipt").set_input_files(str(pdf))
        field.get_by_role("button", name="Tambah pengeluaran").click()
        expect(field.locator("main")).to_contain_text(description)
    # The visit, at the stall without signal: kept on the phone, seen in its place at once,
    # sent and saved when the signal returns.
    field.goto(f"{url}/kelompok/{group.pk}/bantuan/")
    phone.set_offline(True)
    field.locator("summary", has_text="Catat kunjungan").click()
    expect(field.locator("#id_visit_date")).to_have_value(day(today))  # today, offered
    field.locator("#id_business_status").select_option(index=1)
    field.locator("#id_monthly_revenue").fill("2400000")
    field.locator("#id_monthly_profit").fill("800000")
    field.locator("#id_active_members").fill("10")
    field.get_by_role("button", name="Simpan kunjungan").click()
    waiting = field.locator("#visits [data-offline-waiting]")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(day(today))
    phone.set_offline(False)
    expect(field.locator("main > .alert-success").first).to_contain_text("1 terkirim")
    field.reload()
    expect(field.locator("#visits [data-offline-waiting]")).to_have_count(0)
    expect(field.locator("#visits")).to_contain_text("Rp 2.400.000")

    # The family's other needs: a referral, and an aid received from another programme.
    field.goto(f"{url}/kelompok/{group.pk}/tindak-lanjut/baru/")
    field.locator("#id_category").select_option("health")
    field.locator("#id_need").fill("Keluarga belum punya BPJS Kesehatan")
    field.locator("input[name=scope][value=group]").check()
    field.locator("#id_service").select_option("bpjs_pbi")
    field.locator("#id_referred_to").fill("Dinas Sosial – BPJS PBI")
    field.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(field.get_by_role("alert")).to_contain_text("Tindak lanjut sudah dicatat.")
    field.locator("input[name=step][value=refer]").check()
    # The referral named when it was recorded is offered, not asked again.
    expect(field.locator("#id_referred_to")).to_have_value("Dinas Sosial – BPJS PBI")
    field.get_by_role("button", name="Simpan").click()
    expect(field.get_by_role("alert")).to_contain_text("Status berubah menjadi 'Dirujuk'.")
    chair = group.memberships.get(role=Membership.Role.KETUA).participant
    field.goto(f"{url}/peserta/{chair.pk}/bantuan/baru/")
    field.locator("#id_kind").select_option(label="Bantuan pangan (sembako)")
    field.locator("#id_source").fill("Kemensos – BPNT")
    field.locator("#id_received_on").fill(day(today))
    field.locator("#id_quantity").fill("1")
    field.get_by_role("button", name="Simpan").click()
    expect(field.get_by_role("alert")).to_contain_text("Bantuan sudah dicatat.")

    # 10. The supervisor sees the receipts against the money, accepts the LPJ and closes.
    log_in(office, url, "kasi")
    office.goto(f"{url}/admin/grants/grant/{grant.pk}/change/")
    office.locator(".grant-step[data-step=accept_accountability]").click()
    figures = office.locator("#lpj-figures")
    expect(figures).to_contain_text("Rp 20.000.000")
    expect(figures).to_contain_text("2 dari 2 baris")
    expect(office.locator(".ms-ok")).to_contain_text("kuitansi sudah menutup seluruh dana")
    office.locator("input[type=submit].default").click()
    office.goto(f"{url}/admin/grants/grant/{grant.pk}/change/")
    office.locator(".grant-step[data-step=close]").click()
    office.locator("input[type=submit].default").click()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CLOSED
    assert group.memberships.filter(role=Membership.Role.BENDAHARA).count() == 1

    # The programme page opens on this programme, which holds today, and shows the group.
    office.goto(f"{url}/program/")
    expect(office.locator("main")).to_contain_text("Pemberdayaan Keluarga Fakir Miskin")
    expect(office.locator("main")).to_contain_text("Kelompok Jamu Sehat")

    # The head of office lands on the one page of the whole: ten families, the money handed
    # over, the business running.
    log_in(office, url, "kadis")
    expect(office).to_have_url(f"{url}/ringkasan/")
    everything = office.locator("#head-all")
    expect(everything.locator('[data-figure="households"]')).to_have_text("10")
    expect(everything.locator('[data-figure="disbursed"]')).to_have_text("Rp 20.000.000")
    expect(everything.locator('[data-figure="running"]')).to_contain_text("1 dari 1")
    log_in(office, url, "kasi")

    # The grant's history names people and statuses in words.
    office.goto(f"{url}/admin/grants/grant/{grant.pk}/history/")
    expect(office.locator("#grant-events")).to_contain_text("Rina Wulandari")
    expect(office.locator("#grant-events")).to_contain_text("Selesai")
    desk.close()
    phone.close()
