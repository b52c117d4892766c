"""Proposals to DTSEN (SIKS-NG usulan): data changes (a new family, a correction, a removal) in a
kelurahan's batch prepared in admin, its BNBA list read back, its minutes or SPTJM and its letter
printed with the office's signatories, sent, and followed to their outcome through the DTSEN lists
that come after."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from metro_slum.models import ExportRecord
from participants import proposals
from participants.models import DtsenSetting, Proposal, ProposalBatch
from participants.spreadsheet.dtsen import run_dtsen_import
from tests.factories import ParticipantFactory, make_nik

pytestmark = pytest.mark.django_db
SENT_ON = datetime.date(2026, 8, 10)  # the lists dated after it show the outcomes
FIRST_LIST, SECOND_LIST = datetime.date(2026, 9, 30), datetime.date(2026, 11, 30)


def batch_of(cast, kelurahan, **fields):
    return ProposalBatch.objects.create(
        kelurahan=kelurahan, deliberated_on=datetime.date(2026, 8, 5),
        place="Balai Kelurahan Hadimulyo Barat", chaired_by="Drs. Sutrisno (Lurah)",
        attendance=32, created_by=cast.staff, **fields,
    )  # fmt: skip


def propose(cast, batch, person=None, **fields):
    fields.setdefault("reason", "Keluarga pindahan 2025, belum terdata di DTSEN.")
    proposal = Proposal(
        batch=batch, participant=person,
        verification={"floor": True, "toilet": True, "income": False}, **fields,
    )  # fmt: skip
    return proposals.proposal_save(proposal=proposal, by=cast.staff)


def stranger(serial, **fields):
    nik = make_nik("187201", datetime.date(1982, 2, 3), female=False, serial=serial)
    return {"nik": nik, "kk_number": f"18720115011{serial:05d}", "full_name": f"Warga {serial}",
            "address": "Gg. Mangga 4", "rt": "005", "rw": "003", **fields}  # fmt: skip


def test_a_participants_proposal_takes_the_registers_identity(cast, hadimulyo_barat):
    person = ParticipantFactory(rank=False)
    proposal = propose(cast, batch_of(cast, hadimulyo_barat), person)
    assert (proposal.nik, proposal.kk_number, proposal.full_name) == (
        person.nik,
        person.kk_number,
        person.full_name,
    )


def test_a_correction_names_its_fields_a_removal_its_reason_and_a_sent_batch_takes_no_more(
    cast, hadimulyo_barat
):
    batch = batch_of(cast, hadimulyo_barat)
    with pytest.raises(ValidationError) as caught:
        propose(cast, batch, ParticipantFactory(rank=6), kind=Proposal.Kind.CORRECTION)
    assert "tandai setiap data yang diperbaiki" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        propose(cast, batch, kind=Proposal.Kind.REMOVAL, **stranger(4))
    assert "removal_reason" in caught.value.message_dict
    person = ParticipantFactory(rank=6)
    corrected = propose(cast, batch, person, kind=Proposal.Kind.CORRECTION,
                        changes={"address": {"old": "Jl. Lama 1"}})  # fmt: skip
    # The right value is the register's: nothing retyped.
    assert corrected.changes == {"address": {"old": "Jl. Lama 1", "new": person.address}}
    assert not Proposal.objects.filter(kind=Proposal.Kind.REMOVAL).exists()
    Proposal.objects.filter(pk=corrected.pk).delete()
    propose(cast, batch, **stranger(1))
    proposals.batch_send(batch=batch, by=cast.staff, on=SENT_ON)
    with pytest.raises(ValidationError):
        propose(cast, batch, **stranger(2))
    with pytest.raises(ValidationError):
        proposals.batch_send(batch=batch, by=cast.staff, on=SENT_ON)  # a double click
    assert batch.proposals.count() == 1


def test_the_bnba_list_names_each_change_and_each_removals_reason(client, cast, hadimulyo_barat):
    batch = batch_of(cast, hadimulyo_barat)
    person = ParticipantFactory(rank=3, full_name="Ani Koreksi")
    propose(cast, batch, person, kind="correction", changes={"address": {"old": "Jl. Lama 1"},
            "rt": {"old": "9"}})  # fmt: skip
    propose(cast, batch, kind="removal", removal_reason="moved", **stranger(5, full_name="Budi"))
    client.force_login(cast.staff)
    response = client.get(reverse("participants:proposal_bnba", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["BNBA"]
    header = [c.value for c in sheet[4]]
    rows = {row[3]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    changed = header.index("Data Diperbaiki (di DTSEN → seharusnya)")
    assert rows["Ani Koreksi"][header.index("Jenis Usulan")] == "perbaikan data"
    assert rows["Ani Koreksi"][changed] == (
        f"alamat: Jl. Lama 1 → {person.address}; RT: 9 → {person.rt}"
    )
    assert rows["Budi"][header.index("Jenis Usulan")] == "penghapusan"
    assert rows["Budi"][header.index("Alasan Penghapusan")] == "pindah ke luar kota"


def test_the_bnba_list_reads_back_with_text_numbers_and_area_codes(client, cast, hadimulyo_barat):
    batch = batch_of(cast, hadimulyo_barat)
    person = ParticipantFactory(rank=False)
    propose(cast, batch, person)
    propose(cast, batch, **stranger(3))
    client.force_login(cast.staff)
    response = client.get(reverse("participants:proposal_bnba", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["BNBA"]
    header = [c.value for c in sheet[4]]
    assert header[:4] == ["No", "NIK", "No. KK", "Nama"] and "Kode Kelurahan" in header
    rows = [[c for c in row] for row in sheet.iter_rows(min_row=5) if row[0].value]
    nik_cells = {row[3].value: row[1] for row in rows}
    assert nik_cells[person.full_name].value == person.nik
    assert nik_cells[person.full_name].data_type == "s" and len(person.nik) == 16
    assert rows[0][header.index("Kode Kelurahan")].value == "1872011004"
    assert "Lantai tanah" in rows[0][header.index("Pra-saring Dinas (bukan instrumen resmi)")].value
    assert "Desil Usulan" not in header  # the office proposes data; BPS computes the rank
    assert ExportRecord.objects.filter(kind="bnba", user=cast.staff).exists()


def test_the_minutes_print_twenty_people_a_page_and_the_letter_counts(
    client, cast, hadimulyo_barat
):
    batch = batch_of(cast, hadimulyo_barat)
    for serial in range(25):
        propose(cast, batch, **stranger(100 + serial))
    client.force_login(cast.worker)
    minutes = client.get(reverse("participants:proposal_minutes", args=[batch.pk]))
    html = minutes.content.decode()
    assert html.count('class="halaman"') == 2
    assert 'id="proposal-count">25<' in html and "Drs. Sutrisno (Lurah)" in html
    assert "lima Agustus" in html or "Agustus" in html
    letter = client.get(reverse("participants:proposal_letter", args=[batch.pk])).content.decode()
    assert 'id="letter-count">25<' in letter and "Keluarga baru: 25 keluarga" in letter


def test_the_papers_carry_the_offices_signatories_and_an_sptjm_replaces_the_minutes(
    client, cast, hadimulyo_barat
):
    setting = DtsenSetting.get_solo()
    setting.verifier_name, setting.head_name, setting.head_nip = "Rina, S.Sos.", "Dra. Maya", "1970"
    setting.mayor_name = "H. Wahdi"
    setting.save()
    batch = batch_of(cast, hadimulyo_barat)
    propose(cast, batch, **stranger(40))
    client.force_login(cast.staff)
    minutes_url = reverse("participants:proposal_minutes", args=[batch.pk])
    letter_url = reverse("participants:proposal_letter", args=[batch.pk])
    signatures = client.get(minutes_url).text.split('id="signatures"')[1]
    assert "Pimpinan Musyawarah" in signatures and "Rina, S.Sos." in signatures
    letter = client.get(letter_url).text
    assert "WALI KOTA METRO" in letter and "H. Wahdi" in letter and "Dra. Maya" not in letter

    # The city's proposals go through SIKS-NG without the mayor: the head of office signs.
    setting.mayor_submits = False
    setting.save()
    ProposalBatch.objects.filter(pk=batch.pk).update(
        basis="sptjm", place="", chaired_by="", sptjm_signed_by="Drs. Sutrisno",
        sptjm_position="Lurah",
    )  # fmt: skip
    sptjm = client.get(minutes_url).text
    assert "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK" in sptjm
    assert "BERITA ACARA MUSYAWARAH" not in sptjm and "Pimpinan Musyawarah" not in sptjm
    assert "Drs. Sutrisno" in sptjm.split('id="signatures"')[1]
    letter = client.get(letter_url).text
    assert "WALI KOTA" not in letter and "KEPALA DINAS SOSIAL KOTA METRO" in letter
    assert "Dra. Maya" in letter and "NIP 1970" in letter and "SPTJM" in letter


def test_a_batch_resting_on_an_sptjm_names_its_signer(cast, hadimulyo_barat):
    batch = ProposalBatch(
        kelurahan=hadimulyo_barat, basis="sptjm", deliberated_on=datetime.date(2026, 8, 5),
        created_by=cast.staff,
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        batch.full_clean()
    assert set(caught.value.message_dict) == {"sptjm_signed_by"}
    batch.basis = "musyawarah"
    with pytest.raises(ValidationError) as caught:
        batch.full_clean()
    assert {"place", "chaired_by"} <= set(caught.value.message_dict)


def test_another_kelurahans_batch_is_refused(client, cast, karangrejo):
    batch = batch_of(cast, karangrejo)
    client.force_login(cast.worker)
    assert client.get(reverse("participants:proposal_minutes", args=[batch.pk])).status_code == 403


def _dtsen(cast, rows, as_of, scope=(1, 10)):
    """A DTSEN list of Hadimulyo Barat dated `as_of`: (NIK, No. KK, name, desil[, address])."""
    workbook = Workbook()
    ws = workbook.active
    ws.append(["NIK", "No. KK", "Nama", "Desil", "Alamat", "Kelurahan"])
    for nik, kk, name, desil, *address in rows:
        ws.append([nik, kk, name, desil, (address or ["Gg. Mangga 4"])[0], "Hadimulyo Barat"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return run_dtsen_import(SimpleUploadedFile("d.xlsx", buffer.getvalue()), user=cast.staff,
                            dry_run=False, as_of=as_of, desil_from=scope[0],
                            desil_to=scope[1])  # fmt: skip


def _listed(proposal, desil, address=None):
    return (proposal.nik, proposal.kk_number, proposal.full_name, desil,
            address or proposal.address)  # fmt: skip


def test_each_kind_of_proposal_is_followed_to_its_outcome_through_two_lists(cast, hadimulyo_barat):
    batch = batch_of(cast, hadimulyo_barat)
    early = propose(cast, batch, **stranger(11))  # appears in the first list
    late = propose(cast, batch, **stranger(12))  # only in the second
    person = ParticipantFactory(rank=5, address="Gg. Mangga 4")
    corrected = propose(cast, batch, person, kind="correction",
                        changes={"address": {"old": "Jl. Lama 1"}})  # fmt: skip
    stays = propose(cast, batch, kind="removal", removal_reason="moved", **stranger(13))
    gone = propose(cast, batch, kind="removal", removal_reason="died", **stranger(14))
    proposals.batch_send(batch=batch, by=cast.staff, on=SENT_ON)

    # The first list holds every desil: whoever it does not hold is not in DTSEN.
    first = _dtsen(cast, [_listed(early, 2), _listed(corrected, 5, "JL. LAMA 1"),
                          _listed(stays, 6)], FIRST_LIST)  # fmt: skip
    assert first.proposals_read == 5
    state = {p.pk: p for p in Proposal.objects.all()}
    assert (state[early.pk].status, state[early.pk].answered_desil) == ("accepted", 2)
    assert state[early.pk].answered_as_of == FIRST_LIST
    assert (state[late.pk].status, state[late.pk].lists_read) == ("pending", 1)
    assert state[corrected.pk].status == "pending"
    assert "masih berbeda: alamat" in state[corrected.pk].outcome_note
    assert (state[stays.pk].status, state[gone.pk].status) == ("pending", "accepted")
    assert state[gone.pk].answered_desil is None

    # The second holds desil 1-5 only: the family proposed for removal is not in it, which says
    # nothing (it may rank higher); the others show.
    second = _dtsen(cast, [_listed(late, 1), _listed(corrected, 5, " gg. mangga  4 ")],
                    SECOND_LIST, scope=(1, 5))  # fmt: skip
    assert second.proposals_read == 2
    state = {p.pk: p for p in Proposal.objects.all()}
    assert (state[late.pk].status, state[late.pk].answered_desil) == ("accepted", 1)
    assert state[late.pk].answered_as_of == SECOND_LIST
    assert (state[corrected.pk].status, state[corrected.pk].answered_desil) == ("accepted", 5)
    assert (state[stays.pk].status, state[stays.pk].lists_read) == ("pending", 1)
    batch.refresh_from_db()
    assert batch.status == "sent"  # one proposal still waits
    words = proposals.proposal_outcome(state[late.pk])
    assert words == "tampak di daftar per 30/11/2026 · desil 1, peringkat dari BPS"


def test_a_proposal_not_reflected_after_the_offices_number_of_lists_is_marked(
    cast, hadimulyo_barat
):
    setting = DtsenSetting.get_solo()
    setting.proposal_wait_lists = 1
    setting.save()
    batch = batch_of(cast, hadimulyo_barat)
    missing = propose(cast, batch, **stranger(31))
    proposals.batch_send(batch=batch, by=cast.staff, on=SENT_ON)
    other = ParticipantFactory(rank=2)
    _dtsen(cast, [(other.nik, other.kk_number, other.full_name, 2)], FIRST_LIST)
    missing.refresh_from_db()
    assert (missing.status, missing.answered_as_of) == ("not_accepted", FIRST_LIST)
    assert "belum tampak setelah 1 daftar" in proposals.proposal_outcome(missing)
    batch.refresh_from_db()
    assert batch.status == "answered"


def test_a_list_dated_before_the_batch_was_sent_shows_nothing_of_it(cast, hadimulyo_barat):
    batch = batch_of(cast, hadimulyo_barat)
    proposal = propose(cast, batch, **stranger(21))
    proposals.batch_send(batch=batch, by=cast.staff, on=SENT_ON)
    _dtsen(cast, [_listed(proposal, 1)], SENT_ON)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.lists_read) == ("pending", 0)


def test_the_admin_prepares_a_batch_with_a_participant_and_sends_it(client, cast, hadimulyo_barat):
    person = ParticipantFactory(rank=False)
    client.force_login(cast.staff)
    # The door questions are the office's own pre-screen, shown and named so (they were not
    # shown at all before: added to the form after the admin had read its fields).
    form = client.get(reverse("admin:participants_proposalbatch_add")).content.decode()
    assert form.count("Pra-saring: ") == 7 and "Pra-saring: Lantai tanah" in form
    assert "Pemeriksaan lapangan oleh pendamping PKH" in form  # the office's steps
    assert "Pengajuan oleh Wali Kota" in form
    prefix = "proposals"
    data = {
        "kelurahan": hadimulyo_barat.pk, "basis": "musyawarah", "deliberated_on": "2026-08-05",
        "place": "Balai", "chaired_by": "Lurah", "attendance": "20",
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-participant": person.pk, f"{prefix}-0-kind": "new",
        f"{prefix}-0-reason": "Belum terdata, rumah berlantai tanah.",
        f"{prefix}-0-verify_floor": "true",
        **{f"{prefix}-1-{name}": value for name, value in stranger(7).items()},
        f"{prefix}-1-kind": "correction", f"{prefix}-1-reason": "Nama salah ketik di DTSEN.",
        f"{prefix}-1-corrected": ["full_name"], f"{prefix}-1-dtsen_full_name": "Wrga 7",
    }  # fmt: skip
    response = client.post(reverse("admin:participants_proposalbatch_add"), data)
    assert response.status_code == 302, response.context["errors"]
    proposal = Proposal.objects.get(kind="new")
    assert (proposal.nik, proposal.verification) == (person.nik, {"floor": True})
    correction = Proposal.objects.get(kind="correction")
    assert correction.changes == {"full_name": {"old": "Wrga 7", "new": "Warga 7"}}
    batch = proposal.batch
    client.post(
        reverse("admin:participants_proposalbatch_changelist"),
        {"action": "send", "_selected_action": [batch.pk]},
    )
    batch.refresh_from_db()
    assert batch.status == "sent" and batch.sent_on is not None
    # Sent, it is read, not edited: the pre-screen and the correction as answers, not inputs.
    sent = client.get(reverse("admin:participants_proposalbatch_change", args=[batch.pk])).text
    assert "verify_floor" not in sent and "dtsen_full_name" not in sent
    assert "Lantai tanah, bambu atau kayu murahan: ya" in sent
    assert "nama lengkap: Wrga 7 → Warga 7" in sent


def test_the_bnba_list_survives_libreoffice(libreoffice, cast, hadimulyo_barat, tmp_path):
    from tests.participants.test_office_round_trip import convert

    batch = batch_of(cast, hadimulyo_barat)
    people = [propose(cast, batch, **stranger(300 + n)) for n in range(3)]
    export = proposals.bnba_export(batch=batch, user=cast.staff)
    original = tmp_path / "bnba.xlsx"
    original.write_bytes(export.file.read())
    resaved = convert(libreoffice, original, "xlsx", tmp_path)
    sheet = load_workbook(resaved).active
    niks = {row[1].value for row in sheet.iter_rows(min_row=5) if row[0].value}
    assert niks == {p.nik for p in people}
    assert all(isinstance(nik, str) and len(nik) == 16 for nik in niks)
