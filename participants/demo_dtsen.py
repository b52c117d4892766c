"""The demo's DTSEN story: why these families.

- Each demo household's rank in the quarter its members joined (the baseline), and this quarter's
  DTSEN list, imported through the office's own importer: the pilot's households whose business
  lifted them, ranked higher now; forty residents of the five kelurahan not in the programme,
  listed as candidates.
- One batch of proposals of Hadimulyo Barat sent in August and answered by this quarter's list (a
  new family accepted, one not; a correction accepted), and one being prepared.
Every step goes through the services and the importer; running it again changes nothing.
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from participants import proposals, ranks
from participants.models import (
    DtsenList,
    HouseholdRank,
    Kelurahan,
    Membership,
    Participant,
    Proposal,
    ProposalBatch,
)
from participants.quarters import quarter_of
from participants.spreadsheet.dtsen import run_dtsen_import

CANDIDATES_PER_KELURAHAN = 8
# Four pilot members' households rose out of desil 1-2 after their business: desil 3 or 4 now.
RISEN = 3
SENT_BATCH = {
    "deliberated_on": datetime.date(2026, 8, 5),
    "place": "Balai Kelurahan Hadimulyo Barat",
    "chaired_by": "Drs. Sutrisno (Lurah Hadimulyo Barat)",
    "attendance": 34,
}
DRAFT_BATCH = {
    "deliberated_on": datetime.date(2026, 11, 25),
    "place": "Balai Kelurahan Hadimulyo Barat",
    "chaired_by": "Drs. Sutrisno (Lurah Hadimulyo Barat)",
    "attendance": 27,
}
SENT_ON = datetime.date(2026, 8, 20)
STRANGER = {
    "full_name": "Karsono",
    "address": "Gg. Mangga No. 12",
    "rt": "014",
    "rw": "004",
}


def list_file_name(quarter: str) -> str:
    return f"DTSEN_Kota_Metro_{quarter}.xlsx"


def _baselines(programs) -> None:
    """Each member's household in the quarter they joined, as that quarter's list gave it."""
    memberships = Membership.objects.filter(program__in=programs).select_related("participant")
    have = set(HouseholdRank.objects.values_list("kk_number", "quarter"))
    for membership in memberships:
        kk = membership.participant.kk_number
        quarter = quarter_of(membership.joined_on)
        current = ranks.latest_rank(kk)
        if current is None or (kk, quarter) in have:
            continue
        ranks.rank_record(
            kk_number=kk, quarter=quarter, desil=current.desil, in_dtsen=current.in_dtsen,
            source=HouseholdRank.Source.DTSEN_IMPORT, by=None,
            note=f"Daftar DTSEN {quarter}",
        )  # fmt: skip
        have.add((kk, quarter))


def _candidates(quarter: str) -> list[list]:
    """Forty residents of the five kelurahan in this quarter's list, not in the programme."""
    from participants.demo import MEN, STREETS, WOMEN, _nik_like

    rows = []
    for number, kelurahan in enumerate(Kelurahan.objects.program_areas().select_related(
        "kecamatan"
    ).order_by("code")):  # fmt: skip
        rng = random.Random(f"calon-{kelurahan.code}")
        region = kelurahan.kecamatan.code
        for index in range(CANDIDATES_PER_KELURAHAN):
            female = rng.random() < 0.6
            born = datetime.date(rng.randint(1968, 2000), rng.randint(1, 12), rng.randint(1, 28))
            card = datetime.date(rng.randint(2010, 2022), rng.randint(1, 12), rng.randint(1, 28))
            serial = 8000 + 100 * number + index
            rows.append([
                _nik_like(region, born, serial, 40 if female else 0),
                _nik_like(region, card, serial),
                rng.choice(WOMEN if female else MEN), born.strftime("%d/%m/%Y"),
                rng.choice((1, 1, 2, 2, 3, 4)), quarter,
                f"{rng.choice(STREETS)} No. {rng.randint(1, 90)}", f"{rng.randint(1, 30):03d}",
                f"{rng.randint(1, 9):03d}", kelurahan.name, f"DT-{kelurahan.code}-{index:03d}",
            ])  # fmt: skip
    return rows


def _list_rows(pilot, programs, quarter, answered: dict) -> list[list]:
    """This quarter's list: every demo household's rank (the pilot's risen ones higher, the
    proposals' answers), and the candidates."""
    rows = []
    seen = set()
    people = Participant.objects.filter(memberships__program__in=programs).select_related(
        "kelurahan"
    ).order_by("nik").distinct()  # fmt: skip
    pilot_niks = set(
        Membership.objects.filter(program=pilot).values_list("participant__nik", flat=True)
    )
    risen = sorted(pilot_niks)[:: max(1, len(pilot_niks) // 4)][:4]
    for person in list(people) + list(answered):
        if person.kk_number in seen:
            continue
        seen.add(person.kk_number)
        current = ranks.latest_rank(person.kk_number)
        desil = answered.get(person) or (current.desil if current else None)
        if person.nik in risen:
            desil = RISEN + risen.index(person.nik) % 2
        if desil is None:
            continue
        rows.append([
            person.nik, person.kk_number, person.full_name,
            person.birth_date.strftime("%d/%m/%Y"), desil, quarter, person.address, person.rt,
            person.rw, person.kelurahan.name, "",
        ])  # fmt: skip
    return rows + _candidates(quarter)


def _workbook(rows) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "DTSEN"
    ws.append(["Data Tunggal Sosial Ekonomi Nasional – Kota Metro"])
    ws.append([])
    ws.append(["NIK", "No. KK", "Nama", "Tanggal Lahir", "Desil", "Triwulan", "Alamat", "RT",
               "RW", "Kelurahan", "ID DTSEN"])  # fmt: skip
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _batches(staff, waiting):
    """The sent batch (a waiting resident without a rank, a stranger, a correction) and the one
    being prepared (the other waiting resident). Return {person: desil the list will give}."""
    kelurahan = Kelurahan.objects.get(code="1872011004")
    if ProposalBatch.objects.filter(kelurahan=kelurahan).exists():
        return {}
    sent = ProposalBatch.objects.create(kelurahan=kelurahan, created_by=staff, **SENT_BATCH)
    first, second = waiting[:2]
    region = kelurahan.kecamatan.code
    proposals.proposal_save(
        proposal=Proposal(
            batch=sent, participant=first, kind=Proposal.Kind.NEW,
            reason="Keluarga pindahan dari Lampung Timur (2025); belum ada di DTSEN.",
            verification={"floor": True, "walls": True, "toilet": True, "income": True},
        ),
        by=staff,
    )  # fmt: skip
    proposals.proposal_save(
        proposal=Proposal(
            batch=sent, kind=Proposal.Kind.NEW,
            nik=f"{region}120380{8901:04d}", kk_number=f"{region}150115{8901:04d}",
            reason="Duda lansia tinggal sendiri, tidak terdata.",
            verification={"floor": False, "walls": True, "income": True, "assets": True},
            **STRANGER,
        ),
        by=staff,
    )  # fmt: skip
    corrected = (
        Membership.objects.filter(group__name="Kelompok Jamu Sekar Arum", role="member")
        .select_related("participant")
        .order_by("participant__nik")
        .first()
        .participant
    )
    proposals.proposal_save(
        proposal=Proposal(
            batch=sent, participant=corrected, kind=Proposal.Kind.CORRECTION, proposed_desil=1,
            reason="Suami meninggal Mei 2026; penghasilan keluarga turun di bawah Rp 400.000.",
            verification={"income": True, "assets": True},
        ),
        by=staff,
    )  # fmt: skip
    proposals.batch_send(batch=sent, by=staff, on=SENT_ON)
    draft = ProposalBatch.objects.create(kelurahan=kelurahan, created_by=staff, **DRAFT_BATCH)
    proposals.proposal_save(
        proposal=Proposal(
            batch=draft, participant=second, kind=Proposal.Kind.NEW,
            reason="Baru pindah KK (pisah dari orang tua, 2026); belum ada di DTSEN.",
            verification={"floor": True, "toilet": True, "electricity": True},
        ),
        by=staff,
    )  # fmt: skip
    return {first: 1, corrected: 1}


def load(pilot, program, waiting, staff) -> None:
    quarter = quarter_of(timezone.localdate())
    programs = [pilot, program]
    _baselines(programs)
    answered = _batches(staff, waiting)
    if DtsenList.objects.filter(file_name=list_file_name(quarter)).exists():
        return
    content = _workbook(_list_rows(pilot, programs, quarter, answered))
    result = run_dtsen_import(
        SimpleUploadedFile(list_file_name(quarter), content), user=staff, dry_run=False
    )
    assert result.ok, result.errors[:3]
