"""A social worker on a phone records a needs assessment and an action plan."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import ActionPlan, NeedsAssessment
from tests.conftest import fill_group
from tests.factories import GroupFactory, UserFactory, _kelurahan
from tests.helpers import log_in, printed_pages, signed_with_its_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def field_setup(transactional_db):
    kelurahan = _kelurahan("1872011004")
    worker = UserFactory(username="pekerja", first_name="Rina", roles=["Pekerja Sosial"])
    worker.kelurahan_assignments.create(kelurahan=kelurahan)
    supervisor = UserFactory(username="kasi", is_staff=True, roles=["Supervisor"])
    group = GroupFactory(kelurahan=kelurahan, name="Kelompok Jamu Sekar Arum")
    members = fill_group(group, 10)
    return group, members, worker, supervisor


def test_social_worker_records_and_submits_an_assessment_on_a_phone(
    phone, live_server, field_setup
):
    group, members, worker, supervisor = field_setup
    page = phone
    log_in(
        page,
        live_server.url,
        "pekerja",
        landing=page.get_by_role("heading", name="Kelurahan dan kelompok saya"),
    )

    page.get_by_role("link", name=group.name).click()
    expect(page.locator("#stage")).to_have_text("Asesmen kebutuhan")
    page.get_by_role("link", name="Asesmen kebutuhan").click()
    page.wait_for_load_state()  # page.js in place before the typing starts

    # Dates are typed as digits; the slashes come by themselves, day first.
    page.get_by_label("Tanggal mulai").press_sequentially("07082026")
    expect(page.get_by_label("Tanggal mulai")).to_have_value("07/08/2026")
    page.get_by_label("Tanggal selesai").press_sequentially("08082026")
    page.get_by_label("Tempat").fill("Balai Kelurahan Hadimulyo Barat")

    # Two problems, typed in the wrong order and then moved: ranks follow the order on screen.
    add_problem = page.get_by_role("button", name="+ Tambah masalah")
    add_problem.click()
    page.locator("#id_problems-0-category").select_option("health")
    page.locator("#id_problems-0-description").fill("Belum terdaftar BPJS Kesehatan")
    add_problem.click()
    page.locator("#id_problems-1-category").select_option("economic")
    page.locator("#id_problems-1-description").fill("Tidak punya modal usaha")
    rows = page.locator("#problems-rows [data-row]")
    expect(rows.nth(1).locator("[data-rank-shown]")).to_have_text("2")
    assert page.locator("#id_problems-1-rank").get_attribute("type") == "hidden"  # not typed
    rows.nth(1).get_by_role("button", name="Naikkan").click()
    expect(page.locator("#id_problems-1-rank")).to_have_value("1")
    expect(page.locator("#id_problems-0-rank")).to_have_value("2")
    expect(rows.nth(0).locator("[data-rank-shown]")).to_have_text("1")
    expect(rows.nth(0).locator("textarea")).to_have_value("Tidak punya modal usaha")

    # One section per member, the first open; tapping a name opens the next.
    # Everyone but the last two profiled; the last one was absent, the ninth is forgotten.
    expect(page.locator("#id_profiles-1-interests")).to_be_hidden()
    for index in range(8):
        if index:
            page.locator(f"#member-{index + 1} summary").click()
        page.locator(f"#id_profiles-{index}-interests").fill("membuat jamu")
        page.locator(f"#id_profiles-{index}-skills").fill("meracik kunyit asam")
    page.locator("#member-10 summary").click()
    page.locator("#id_profiles-9-attended").uncheck()
    page.get_by_label("Usaha yang dipilih kelompok").select_option("herbal_drinks")
    page.get_by_label("Alasan kelompok memilihnya").fill("Anggota biasa meracik jamu.")

    # Sending locks the record: the page asks once; "cancel" sends nothing.
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="Kirim untuk ditinjau").click()
    expect(page.locator("#form-errors")).to_have_count(0)
    assert "tidak dapat diubah sampai supervisor mengembalikannya" in questions[0]
    assert not NeedsAssessment.objects.exists()

    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Kirim untuk ditinjau").click()
    errors = page.locator("#form-errors")
    expect(errors).to_contain_text(f"{members[8].participant.full_name}: isi minat dan keahlian")
    assert not NeedsAssessment.objects.exists()

    # The message leads to the member, whose section is open.
    errors.get_by_role("link", name=members[8].participant.full_name).click()
    expect(page).to_have_url(re.compile("#member-9$"))
    page.locator("#id_profiles-8-interests").fill("berjualan")
    page.locator("#id_profiles-8-skills").fill("berdagang keliling")
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Kirim untuk ditinjau").click()
    expect(page.get_by_role("alert")).to_have_text("Asesmen kebutuhan dikirim untuk ditinjau.")
    expect(page.locator("#stage")).to_have_text("Asesmen kebutuhan dikirim")

    assessment = NeedsAssessment.objects.get(group=group)
    assert assessment.status == NeedsAssessment.Status.SUBMITTED
    assert list(assessment.problems.values_list("rank", "description")) == [
        (1, "Tidak punya modal usaha"),
        (2, "Belum terdaftar BPJS Kesehatan"),
    ]
    assert assessment.profiles.filter(attended=False).count() == 1
    page.screenshot(path="/tmp/metro-assessment-360.png", full_page=True)


def test_social_worker_drafts_a_plan_whose_total_follows_the_typing(
    phone, live_server, field_setup
):
    group, members, worker, supervisor = field_setup
    page = phone
    log_in(
        page,
        live_server.url,
        "pekerja",
        landing=page.get_by_role("heading", name="Kelurahan dan kelompok saya"),
    )
    page.goto(f"{live_server.url}/kelompok/{group.pk}/rencana/")

    page.get_by_label("Tujuan").fill("Produksi jamu kemasan botol secara rutin")
    page.get_by_role("button", name="+ Tambah kegiatan").click()
    page.locator("#id_activities-0-description").fill("Belanja alat dan bahan")
    page.locator("#id_activities-0-responsible").select_option(str(members[2].pk))
    page.locator("#id_activities-0-start_date").fill("01/09/2026")
    page.locator("#id_activities-0-end_date").fill("14/09/2026")

    add_line = page.get_by_role("button", name="+ Tambah baris RAB")
    add_line.click()
    page.locator("#id_budget-0-item").fill("Panci dan kompor gas")
    page.locator("#id_budget-0-quantity").fill("3")
    page.locator("#id_budget-0-unit").fill("set")
    page.locator("#id_budget-0-unit_price").fill("850000")
    expect(page.locator("#rab-total")).to_have_text("Rp 2.550.000")
    expect(page.locator("[data-rab-total]")).to_have_text("Rp 2.550.000")  # in the sticky bar

    add_line.click()
    page.locator("#id_budget-1-item").fill("Gerobak jualan")
    page.locator("#id_budget-1-quantity").fill("8")
    page.locator("#id_budget-1-unit").fill("unit")
    page.locator("#id_budget-1-unit_price").fill("2250000")
    expect(page.locator("#rab-total")).to_have_text("Rp 20.550.000")
    expect(page.locator("#rab-over")).to_be_visible()

    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("#form-errors")).to_contain_text(
        "Total RAB sebesar Rp 20.550.000 melebihi plafon bantuan per kelompok program ini "
        "(Rp 20.000.000). Kurangi Rp 550.000."
    )
    assert not ActionPlan.objects.exists()

    page.locator("#id_budget-1-quantity").fill("2")
    expect(page.locator("#rab-total")).to_have_text("Rp 7.050.000")
    expect(page.locator("#rab-over")).to_be_hidden()
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("alert")).to_have_text("Draf disimpan.")

    plan = ActionPlan.objects.get(group=group)
    assert [line.line_total for line in plan.budget_lines.all()] == [2_550_000, 4_500_000]
    assert plan.activities.get().responsible == members[2]
    page.screenshot(path="/tmp/metro-plan-360.png", full_page=True)


def test_supervisor_returns_an_assessment_with_a_note_at_desktop_width(
    chromium, live_server, field_setup
):
    from tests.assessments.helpers import save_assessment

    group, members, worker, supervisor = field_setup
    save_assessment(group)
    services.assessment_submit(group=group, by=worker)

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/")
    page.locator("#id_username").fill("kasi")
    page.locator("#id_password").fill("rahasia-uji")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/kelompok/{group.pk}/asesmen/")
    page.get_by_label("Catatan untuk pekerja sosial").fill("Lengkapi pengalaman usaha anggota.")
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Asesmen kebutuhan dikembalikan ke pekerja sosial."
    )
    page.screenshot(path="/tmp/metro-group-1280.png", full_page=True)
    context.close()

    assessment = NeedsAssessment.objects.get()
    assert assessment.status == NeedsAssessment.Status.RETURNED
    assert assessment.review_note == "Lengkapi pengalaman usaha anggota."


def test_social_worker_registers_a_candidate_from_the_dtsen_list_on_a_phone(
    phone, live_server, field_setup
):
    from participants import ranks
    from participants.models import Participant
    from participants.spreadsheet.dtsen import run_dtsen_import
    from tests.participants.test_dtsen_import import NEWCOMER_KK, NEWCOMER_NIK, newcomer, xlsx

    _group, _members, _worker, _supervisor = field_setup
    staff = UserFactory(username="staf", is_staff=True, roles=["Staf Administrasi"])
    today = datetime.date.today()
    run_dtsen_import(xlsx([newcomer(desil=1)]), user=staff, dry_run=False, as_of=today)

    page = phone
    log_in(page, live_server.url, "pekerja",
           landing=page.get_by_role("heading", name="Kelurahan dan kelompok saya"))  # fmt: skip
    page.goto(live_server.url + "/peserta/")
    page.get_by_role("link", name="Calon dari DTSEN").click()
    candidate = page.locator("#candidates li").filter(has_text="Sri Wahyuni")
    expect(candidate).to_contain_text(f"Desil 1 (per {today:%d/%m/%Y})")
    candidate.get_by_role("link", name="Daftarkan Sri Wahyuni").click()

    # The identity comes from the list; the worker checks it and types what the list lacks.
    expect(page.locator("#from-candidate")).to_be_visible()
    expect(page.get_by_label("NIK")).to_have_value(NEWCOMER_NIK)
    expect(page.get_by_label("Nama lengkap")).to_have_value("Sri Wahyuni")
    expect(page.get_by_label("Tanggal lahir")).to_have_value("04/03/1980")
    page.get_by_label("Tempat lahir").fill("Metro")
    page.get_by_label("Dasar hukum pemrosesan").select_option("public_task")
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator("#household-rank")).to_contain_text(f"Desil 1 (per {today:%d/%m/%Y})")
    person = Participant.objects.get(nik=NEWCOMER_NIK)
    assert person.kk_number == NEWCOMER_KK and person.sex == "P"
    assert ranks.latest_rank(person.kk_number).desil == 1
    page.goto(live_server.url + "/peserta/calon/")
    expect(page.locator("#candidates")).to_contain_text("Tidak ada calon")


@pytest.mark.parametrize(
    ("people", "long", "pages"), [(20, False, 1), (41, False, 3), (20, True, 2)]
)
def test_the_musyawarah_minutes_print_twenty_people_an_a4_page(
    desk, live_server, field_setup, people, long, pages
):
    """Twenty people a page; fewer when the longest realistic names, addresses and reasons run
    their rows long; the signatures always on a sheet with the last rows."""
    from participants import proposals
    from tests.participants.test_proposals import batch_of, propose, stranger

    _group, _members, _worker, _supervisor = field_setup
    staff = UserFactory(username="staf", is_staff=True, roles=["Staf Administrasi"])

    class Cast:  # what the proposal helpers need
        pass

    cast = Cast()
    cast.staff = staff
    batch = batch_of(cast, _kelurahan("1872011004"))
    reason = (
        "Keluarga pindahan dari Kabupaten Lampung Timur sejak 2025, suami bekerja serabutan, "
        "rumah kontrakan berlantai tanah, belum terdata di DTSEN."
    )
    for serial in range(people):
        written = (
            {
                "full_name": f"Hj. Siti Nurhasanah Binti Abdurrahman {serial}",
                "address": "Jl. Jenderal Ahmad Yani Gg. Kenanga Raya No. 117",
                "reason": reason,
            }
            if long
            else {}
        )
        propose(cast, batch, **stranger(200 + serial, **written))  # fmt: skip
    assert len(proposals.pages(batch)) == pages
    log_in(desk, live_server.url, "staf")
    desk.goto(f"{live_server.url}/usulan/{batch.pk}/berita-acara/")
    expect(desk.locator("#proposal-count")).to_have_text(str(people))
    expect(desk.locator("#signatures")).to_contain_text("Pimpinan Musyawarah")
    sheets = printed_pages(desk)
    assert len(sheets) == pages
    assert signed_with_its_text(sheets, "Pimpinan Musyawarah", "Demikian berita acara ini dibuat")
    # The last sheet holds its last rows too, not the signatures alone.
    last = batch.proposals.order_by("full_name", "pk").last().full_name
    assert "".join(last.split()) in "".join(sheets[-1].split())


def test_the_sptjm_and_the_letter_keep_their_signatures_with_their_text(
    desk, live_server, field_setup
):
    """With the longest realistic names and titles, each on its one A4 sheet, the signatures
    beside the words they sign."""
    from participants.models import DtsenSetting, ProposalBatch
    from tests.participants.test_proposals import batch_of, propose, stranger

    staff = UserFactory(username="staf", is_staff=True, roles=["Staf Administrasi"])

    class Cast:  # what the proposal helpers need
        pass

    cast = Cast()
    cast.staff = staff
    setting = DtsenSetting.get_solo()
    setting.verifier_name = "Rr. Siti Nurhaliza Kusumawardhani, S.Sos., M.Kesos."
    setting.head_name = "Dr. H. Muhammad Syaifuddin Prawiranegara, S.Sos., M.Si."
    setting.head_nip = "19700512 199503 1 002"
    setting.mayor_submits = False
    setting.save()
    batch = batch_of(cast, _kelurahan("1872011004"))
    for serial in range(20):
        propose(cast, batch, **stranger(400 + serial))
    ProposalBatch.objects.filter(pk=batch.pk).update(
        basis="sptjm", sptjm_signed_by="Drs. H. Sutrisno Adi Wibowo Kusumanegara, M.Si.",
        sptjm_position="Lurah",
    )  # fmt: skip
    log_in(desk, live_server.url, "staf")
    desk.goto(f"{live_server.url}/usulan/{batch.pk}/berita-acara/")
    sheets = printed_pages(desk)
    assert len(sheets) == 1
    assert signed_with_its_text(sheets, "Yang menyatakan", "Demikian surat pernyataan ini dibuat")
    desk.goto(f"{live_server.url}/usulan/{batch.pk}/surat/")
    sheets = printed_pages(desk)
    assert len(sheets) == 1
    assert signed_with_its_text(sheets, "KEPALA DINAS SOSIAL KOTA METRO", "Atas perhatian")
