"""A DTSEN list from Excel or CSV: ranks by household, the unknown residents as candidates, every
refusal named, nothing written on a bad row; each list read as of its own date, within the
scope (the desil) it holds. Real XLSX and CSV files."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from participants import ranks
from participants.models import Candidate, DtsenList, HouseholdRank, Participant
from participants.spreadsheet import dtsen
from participants.spreadsheet.dtsen import ImportRefused
from tests.factories import ParticipantFactory, make_nik

pytestmark = pytest.mark.django_db
HEADER = ["NIK", "No. KK", "Nama", "Desil", "Alamat", "RT", "RW", "Kelurahan"]
# The list's own date, as the office gives it on the import page.
LIST_DAY = datetime.date.today() - datetime.timedelta(days=7)
NEWCOMER_NIK = make_nik("187201", datetime.date(1980, 3, 4), female=True, serial=77)
NEWCOMER_KK = "1872011501150777"


def xlsx(rows, header=HEADER, name="dtsen_2026q3.xlsx"):
    workbook = Workbook()
    ws = workbook.active
    ws.append(["DTSEN Kota Metro – triwulan III 2026"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv(rows, header=HEADER, name="dtsen.csv"):
    lines = [";".join(header)] + [";".join(str(c) for c in row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"))


def row(nik, kk, name, desil=2, kelurahan="Hadimulyo Barat", address="Jl. Kenanga No. 9"):
    return [nik, kk, name, desil, address, "003", "002", kelurahan]


def run_dtsen_import(uploaded, *, as_of=LIST_DAY, **options):
    return dtsen.run_dtsen_import(uploaded, as_of=as_of, **options)


def newcomer(**kwargs):
    return row(NEWCOMER_NIK, NEWCOMER_KK, "Sri Wahyuni", **kwargs)


def test_a_list_ranks_participants_households_and_lists_the_others(cast):
    person = ParticipantFactory(rank=False)
    # Another member of a participant's household: found by No. KK, ranked, not a candidate.
    relative_nik = make_nik("187201", datetime.date(1990, 1, 2), female=False, serial=55)
    upload = xlsx(
        [
            row(person.nik, person.kk_number, person.full_name, desil=1),
            row(relative_nik, person.kk_number, "Adik Peserta", desil=1),
            newcomer(desil=2),
        ]
    )

    preview = run_dtsen_import(upload, user=cast.staff, dry_run=True)
    assert preview.ok
    assert (preview.matched_by_nik, preview.matched_by_kk, preview.candidates) == (1, 1, 1)
    assert preview.ranks_recorded == 2  # the participant's household once, the newcomer's
    assert not HouseholdRank.objects.exists() and not Candidate.objects.exists()
    assert not DtsenList.objects.exists()

    done = run_dtsen_import(upload, user=cast.staff, dry_run=False)
    assert done.ranks_recorded == 2
    reading = ranks.latest_rank(person.kk_number)
    assert (reading.desil, reading.as_of, reading.source) == (1, LIST_DAY, "dtsen_import")
    assert reading.recorded_by == cast.staff
    candidate = Candidate.objects.get()
    assert (candidate.nik, candidate.full_name, candidate.kelurahan.name) == (
        NEWCOMER_NIK,
        "Sri Wahyuni",
        "Hadimulyo Barat",
    )
    assert ranks.latest_rank(NEWCOMER_KK).desil == 2
    assert not Participant.objects.filter(nik=NEWCOMER_NIK).exists()  # listed, not created
    record = DtsenList.objects.get()
    assert (record.file_name, record.as_of, record.scope, record.candidates) == (
        "dtsen_2026q3.xlsx",
        LIST_DAY,
        "desil 1–10",
        1,
    )
    assert [k.name for k in record.kelurahan.all()] == ["Hadimulyo Barat"]
    assert candidate.listed_as_of == LIST_DAY


def test_the_same_list_twice_records_nothing_new(cast):
    person = ParticipantFactory(rank=False)
    rows = [row(person.nik, person.kk_number, person.full_name), newcomer()]
    run_dtsen_import(xlsx(rows), user=cast.staff, dry_run=False)
    again = run_dtsen_import(xlsx(rows), user=cast.staff, dry_run=False)
    assert (again.ranks_recorded, again.ranks_unchanged) == (0, 2)
    assert HouseholdRank.objects.count() == 2 and Candidate.objects.count() == 1


def test_a_later_list_adds_a_reading_and_keeps_the_old(cast):
    person = ParticipantFactory(rank=False)
    earlier = LIST_DAY - datetime.timedelta(days=90)
    listed = row(person.nik, person.kk_number, person.full_name, desil=3)
    run_dtsen_import(xlsx([listed]), user=cast.staff, dry_run=False)
    listed[3] = 1
    run_dtsen_import(xlsx([listed]), user=cast.staff, dry_run=False, as_of=earlier)
    readings = list(HouseholdRank.objects.filter(kk_number=person.kk_number))
    assert [(r.as_of, r.desil) for r in readings] == [(LIST_DAY, 3), (earlier, 1)]
    assert ranks.latest_rank(person.kk_number).desil == 3  # by the list's date, not by arrival


def test_a_scoped_list_refuses_a_row_outside_its_scope(cast):
    result = run_dtsen_import(
        xlsx([newcomer(desil=7)]), user=cast.staff, dry_run=False, desil_from=1, desil_to=5
    )
    (error,) = result.errors
    assert error.column == "Desil" and "di luar cakupan daftar" in error.message
    assert "desil 1–5" in error.message
    assert not DtsenList.objects.exists()


@pytest.mark.parametrize(
    "options, words",
    [
        ({"as_of": datetime.date.today() + datetime.timedelta(days=1)}, "di masa depan"),
        ({"desil_from": 6, "desil_to": 5}, "yang terendah dahulu"),
        ({"desil_from": 0, "desil_to": 5}, "yang terendah dahulu"),
    ],
)
def test_a_list_dated_in_the_future_or_with_no_scope_is_refused(cast, options, words):
    with pytest.raises(ImportRefused) as caught:
        run_dtsen_import(xlsx([newcomer()]), user=cast.staff, dry_run=False, **options)
    assert words in str(caught.value)
    assert not DtsenList.objects.exists()


def test_a_csv_list_reads_the_same(cast):
    done = run_dtsen_import(csv([newcomer(desil=4)]), user=cast.staff, dry_run=False)
    assert done.candidates == 1 and ranks.latest_rank(NEWCOMER_KK).desil == 4
    assert Candidate.objects.get().nik == NEWCOMER_NIK  # 16 digits, whole


@pytest.mark.parametrize(
    "bad_row, column, words",
    [
        (newcomer(desil=11), "Desil", "Desil 11 tidak ada"),
        (newcomer(desil=0), "Desil", "Desil 0 tidak ada"),
        (newcomer(desil=""), "Desil", "Tulis desil keluarga"),
        (newcomer(kelurahan="Way Halim"), "Kelurahan", "bukan kelurahan di Kota Metro"),
        (newcomer(kelurahan="1871011001"), "Kelurahan", "bukan kelurahan di Kota Metro"),
        (row("1872011004850003", NEWCOMER_KK, "123"), "Nama", ""),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(cast, bad_row, column, words):
    person = ParticipantFactory(rank=False)
    upload = xlsx([row(person.nik, person.kk_number, person.full_name), bad_row])
    result = run_dtsen_import(upload, user=cast.staff, dry_run=False)
    assert not result.ok
    (error,) = result.errors
    assert (error.row, error.column) == (5, column)
    assert words in error.message
    assert not HouseholdRank.objects.exists() and not Candidate.objects.exists()
    assert not DtsenList.objects.exists()


def test_a_nik_whose_birth_date_disagrees_is_refused(cast):
    person = ParticipantFactory(rank=False)  # born 12/08/1985, as the NIK says
    header = [*HEADER, "Tanggal Lahir"]
    disagreeing = [*newcomer(), "05/03/1980"]  # the NIK says 04-03-80
    registered = [*row(person.nik, person.kk_number, person.full_name), "12/08/1985"]
    result = run_dtsen_import(xlsx([registered, disagreeing], header=header), user=cast.staff,
                              dry_run=False)  # fmt: skip
    (error,) = result.errors
    assert (error.row, error.column) == (5, "Tanggal Lahir")
    assert "04-03-80" in error.message
    assert not HouseholdRank.objects.exists()


def test_a_birth_date_other_than_the_registered_persons_is_refused(cast):
    person = ParticipantFactory(rank=False, birth_date=datetime.date(1985, 8, 12))
    Participant.objects.filter(pk=person.pk).update(birth_date=datetime.date(1985, 8, 12))
    header = [*HEADER, "Tanggal Lahir"]
    # The NIK's own date, and a century apart from the register's: both checks in play.
    listed = [*row(person.nik, person.kk_number, person.full_name), "12/08/2085"]
    result = run_dtsen_import(xlsx([listed], header=header), user=cast.staff, dry_run=True)
    (error,) = result.errors
    assert error.column == "Tanggal Lahir" and "12/08/1985" in error.message


def test_one_nik_with_two_ranks_is_refused_and_an_exact_repeat_is_not(cast):
    refused = run_dtsen_import(xlsx([newcomer(desil=2), newcomer(desil=5)]), user=cast.staff,
                               dry_run=False)  # fmt: skip
    (error,) = refused.errors
    assert error.row == 5 and "baris 4" in error.message and "desil 2" in error.message
    assert not Candidate.objects.exists()

    repeated = run_dtsen_import(xlsx([newcomer(), newcomer()]), user=cast.staff, dry_run=False)
    assert repeated.ok and repeated.candidates == 1 and repeated.ranks_recorded == 1


def test_one_household_with_two_desil_in_a_list_is_refused(cast):
    other = make_nik("187201", datetime.date(1979, 5, 6), female=False, serial=78)
    result = run_dtsen_import(
        xlsx([newcomer(desil=2), row(other, NEWCOMER_KK, "Suami Sri", desil=3)]),
        user=cast.staff,
        dry_run=False,
    )
    (error,) = result.errors
    assert error.row == 5 and "satu desil" in error.message


def test_a_number_excel_damaged_is_refused_never_mangled(cast):
    damaged = newcomer()
    damaged[0] = float(NEWCOMER_NIK)
    result = run_dtsen_import(xlsx([damaged]), user=cast.staff, dry_run=False)
    (error,) = result.errors
    assert error.column == "NIK" and "Teks" in error.message


def test_a_list_without_its_columns_is_refused_whole(cast):
    with pytest.raises(ImportRefused) as caught:
        run_dtsen_import(xlsx([], header=["NIK", "No. KK", "Nama", "Alamat"]), user=cast.staff,
                         dry_run=True)  # fmt: skip
    assert "Desil" in str(caught.value) and "Kelurahan" in str(caught.value)


def test_only_those_who_may_record_ranks_import(client, cast):
    client.force_login(cast.worker)  # no admin at all: sent to the admin's login
    assert client.get(reverse("admin:participants_householdrank_import")).status_code == 302
    client.force_login(cast.supervisor)
    assert client.get(reverse("admin:participants_householdrank_import")).status_code == 403


def test_the_admin_previews_then_confirms_once(client, cast):
    person = ParticipantFactory(rank=False)
    client.force_login(cast.staff)
    template = client.get(reverse("admin:participants_dtsen_import_template"))
    sheet = load_workbook(io.BytesIO(template.content))["DTSEN"]
    assert [c.value for c in sheet[4]][:6] == ["NIK", "No. KK", "Nama", "Tanggal Lahir", "Desil",
                                                "Alamat"]  # fmt: skip
    assert sheet["A5"].number_format == "@"

    url = reverse("admin:participants_householdrank_import")
    upload = xlsx([row(person.nik, person.kk_number, person.full_name), newcomer()])
    undated = client.post(url, {"import_file": upload, "format": 0, "desil_from": 1,
                                "desil_to": 10})  # fmt: skip
    assert "Data per tanggal" in undated.text and "tidak boleh kosong" in undated.text
    upload.seek(0)
    scoped = {"as_of": f"{LIST_DAY:%Y-%m-%d}", "desil_from": 1, "desil_to": 5}
    preview = client.post(url, {"import_file": upload, "format": 0, **scoped})
    html = preview.content.decode()
    assert "2 peringkat keluarga akan dicatat" in html and "Belum ada yang disimpan" in html
    assert NEWCOMER_NIK not in html and "didaftar sebagai calon" in html
    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    done = client.post(reverse("admin:participants_householdrank_process_import"), data,
                       follow=True)  # fmt: skip
    assert "Daftar DTSEN diimpor: 2 peringkat keluarga dicatat" in done.content.decode()
    listed = DtsenList.objects.get()
    assert (listed.as_of, listed.scope) == (LIST_DAY, "desil 1–5")
    assert "Sri Wahyuni" in done.content.decode()  # on the candidate list it lands on
    again = client.post(reverse("admin:participants_householdrank_process_import"), data,
                        follow=True)  # fmt: skip
    assert "Berkas yang sudah diperiksa tidak ada lagi" in again.content.decode()
    assert HouseholdRank.objects.count() == 2


def test_a_rank_added_in_admin_is_checked_like_any(client, cast):
    person = ParticipantFactory(rank=False)
    client.force_login(cast.staff)
    url = reverse("admin:participants_householdrank_add")
    fields = {"kk_number": person.kk_number, "in_dtsen": "on", "as_of": f"{LIST_DAY:%d/%m/%Y}",
              "source": "field_verification", "note": "Kunjungan rumah"}  # fmt: skip
    refused = client.post(url, {**fields, "desil": "12"})
    assert refused.status_code == 200 and "1 sampai 10" in refused.content.decode()
    saved = client.post(url, {**fields, "desil": "2"})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    reading = ranks.latest_rank(person.kk_number)
    assert (reading.desil, reading.as_of, reading.recorded_by) == (2, LIST_DAY, cast.staff)


def _listed(cast, *rows):
    run_dtsen_import(xlsx(list(rows)), user=cast.staff, dry_run=False)


def test_the_candidate_list_shows_my_kelurahan_poorest_first(client, cast, karangrejo):
    poorer = make_nik("187201", datetime.date(1975, 1, 1), female=False, serial=81)
    elsewhere = make_nik("187202", datetime.date(1975, 1, 1), female=False, serial=82)
    _listed(
        cast,
        newcomer(desil=3),
        row(poorer, "1872011501150881", "Bambang Poorer", desil=1),
        row(elsewhere, "1872021501150882", "Warga Karangrejo", desil=1, kelurahan="Karangrejo"),
    )
    client.force_login(cast.worker)
    page = client.get(reverse("participants:candidate_list"))
    html = page.content.decode()
    assert html.index("Bambang Poorer") < html.index("Sri Wahyuni")
    shown = f"per {LIST_DAY:%d/%m/%Y}"
    assert f"Desil 1 ({shown})" in html and f"Desil 3 ({shown})" in html
    assert "Warga Karangrejo" not in html  # not my kelurahan
    assert NEWCOMER_NIK not in html  # masked in a list
    candidate = Candidate.objects.get(nik=elsewhere)
    url = reverse("participants:participant_create") + f"?calon={candidate.pk}"
    assert client.get(url).status_code == 404


def test_a_candidate_is_registered_in_one_step_from_the_list(client, cast):
    _listed(cast, newcomer(desil=1))
    candidate = Candidate.objects.get()
    client.force_login(cast.worker)
    url = reverse("participants:participant_create") + f"?calon={candidate.pk}"
    form = client.get(url).context["form"]
    assert form["nik"].value() == NEWCOMER_NIK and form["full_name"].value() == "Sri Wahyuni"
    assert form["sex"].value() == "P"  # read off the NIK
    assert form["birth_date"].value() == datetime.date(1980, 3, 4)
    # What the worker still types: the birth place; the rest comes from the list.
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(birth_place="Metro", legal_basis="public_task", household_size=3)
    data["birth_date"] = data["birth_date"].isoformat()
    data["consent_date"] = data["consent_date"].isoformat()
    data["consent_given"] = "on"
    done = client.post(url, data)
    person = Participant.objects.get(nik=NEWCOMER_NIK)
    assert done.url == reverse("person", args=[person.pk])
    assert (person.kk_number, person.rt, person.kelurahan.name) == (
        NEWCOMER_KK,
        "003",
        "Hadimulyo Barat",
    )
    assert ranks.latest_rank(person.kk_number).desil == 1  # the household's rank follows
    client.get(reverse("person", args=[person.pk]))  # the saved message is read there
    listing = client.get(reverse("participants:candidate_list")).content.decode()
    assert "Sri Wahyuni" not in listing and "Tidak ada calon" in listing
    assert client.get(url).status_code == 404  # registered: no second registration from it


def test_the_candidate_list_takes_the_same_queries_for_few_and_many(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def listed(first, count):
        _listed(cast, *[
            row(make_nik("187201", datetime.date(1970, 1, 1), female=False, serial=n),
                f"18720115011{n:05d}", f"Warga Calon {n}", desil=n % 10 + 1)
            for n in range(first, first + count)
        ])  # fmt: skip

    client.force_login(cast.worker)
    listed(1000, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("participants:candidate_list"))
    listed(2000, 40)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("participants:candidate_list"))
    assert len(many) == len(few)
    assert "43 calon" in page.content.decode()
