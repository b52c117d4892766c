"""The demo's DTSEN story: why these families.

- Each demo household's rank as of the month its members joined (the baseline), and two DTSEN
  lists imported through the office's own importer: one of every desil as of 30 September, one of
  desil 1–5 as of today. The pilot's households whose business lifted them rank higher now; forty
  residents of the five kelurahan not in the programme are listed as candidates.
- One batch of proposals of Hadimulyo Barat sent in August, read back from both lists: a new
  family in the first, another in the second; a correction of an address the first list still
  had wrong and the second had right; a removal still in the first list, and absent from the
  second, which (desil 1–5 only) says nothing of it. One batch, under an SPTJM, being prepared.
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
    "basis": ProposalBatch.Basis.SPTJM,
    "deliberated_on": datetime.date(2026, 11, 25),
    "sptjm_signed_by": "Drs. Sutrisno",
    "sptjm_position": "Lurah",
}
# The first list holds every desil; the second only desil 1-5.
FIRST_LIST = datetime.date(2026, 9, 30)
SECOND_SCOPE = (1, 5)
# The address DTSEN had for the corrected family, before the correction reached it.
OLD_ADDRESS = "Jl. Kenanga No. 3"
SENT_ON = datetime.date(2026, 8, 20)
STRANGER = {
    "full_name": "Karsono",
    "address": "Gg. Mangga No. 12",
    "rt": "014",
    "rw": "004",
}


def list_file_name(as_of: datetime.date) -> str:
    return f"DTSEN_Kota_Metro_{as_of:%Y-%m-%d}.xlsx"


def _baselines(programs) -> None:
    """Each member's household as of the month they joined, as that month's list gave it."""
    memberships = Membership.objects.filter(program__in=programs).select_related("participant")
    have = set(HouseholdRank.objects.values_list("kk_number", "as_of"))
    for membership in memberships:
        kk = membership.participant.kk_number
        as_of = membership.joined_on.replace(day=1)
        current = ranks.latest_rank(kk)
        if current is None or (kk, as_of) in have:
            continue
        ranks.rank_record(
            kk_number=kk, as_of=as_of, desil=current.desil, in_dtsen=current.in_dtsen,
            source=HouseholdRank.Source.DTSEN_IMPORT, by=None,
            note=f"Daftar DTSEN per {as_of:%d/%m/%Y}",
        )  # fmt: skip
        have.add((kk, as_of))


def _candidates() -> list[list]:
    """Forty residents of the five kelurahan in the lists, not in the programme."""
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
                rng.choice((1, 1, 2, 2, 3, 4)),
                f"{rng.choice(STREETS)} No. {rng.randint(1, 90)}", f"{rng.randint(1, 30):03d}",
                f"{rng.randint(1, 9):03d}", kelurahan.name, f"DT-{kelurahan.code}-{index:03d}",
            ])  # fmt: skip
    return rows


def _list_rows(pilot, programs, answered: list, *, second: bool) -> list[list]:
    """A list: every demo household's rank (the pilot's risen ones higher in the second, the
    proposals' outcomes as each list shows them), and the candidates."""
    rows = []
    seen = set()
    people = Participant.objects.filter(memberships__program__in=programs).select_related(
        "kelurahan"
    ).order_by("nik").distinct()  # fmt: skip
    pilot_niks = set(
        Membership.objects.filter(program=pilot).values_list("participant__nik", flat=True)
    )
    risen = sorted(pilot_niks)[:: max(1, len(pilot_niks) // 4)][:4]
    shown = [(p, d, old) for p, d, only_second, old in answered if second or not only_second]
    given = {p.nik: d for p, d, _old in shown}
    old_addresses = {p.nik: old for p, _d, old in shown if old and not second}
    for person in list(people) + [p for p, _d, _old in shown]:
        if person.kk_number in seen:
            continue
        seen.add(person.kk_number)
        current = ranks.latest_rank(person.kk_number)
        desil = given.get(person.nik) or (current.desil if current else None)
        if second and person.nik in risen:
            desil = RISEN + risen.index(person.nik) % 2
        if desil is None:
            continue
        address = old_addresses.get(person.nik, person.address)
        rows.append([
            person.nik, person.kk_number, person.full_name,
            person.birth_date.strftime("%d/%m/%Y"), desil, address, person.rt,
            person.rw, person.kelurahan.name, "",
        ])  # fmt: skip
    candidates = _candidates()
    if second:  # the family proposed for removal moved away: not in the second list
        candidates = [row for row in candidates if row[0] != _removed()[0]]
    return rows + candidates


def _removed() -> list:
    """The family proposed for removal: the first candidate of Hadimulyo Barat (moved away)."""
    return next(row for row in _candidates() if row[8] == "Hadimulyo Barat")


def _workbook(rows) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "DTSEN"
    ws.append(["Data Tunggal Sosial Ekonomi Nasional – Kota Metro"])
    ws.append([])
    ws.append(["NIK", "No. KK", "Nama", "Tanggal Lahir", "Desil", "Alamat", "RT", "RW",
               "Kelurahan", "ID DTSEN"])  # fmt: skip
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _batches(staff, waiting):
    """The sent batch (a waiting resident without a rank, a stranger, a correction, a removal)
    and the one being prepared (the other waiting resident). Return each proposed person with
    the desil the lists give, whether only the second list holds them, and the address the first
    list has (when it is still the old one)."""
    kelurahan = Kelurahan.objects.get(code="1872011004")
    if ProposalBatch.objects.filter(kelurahan=kelurahan).exists():
        return []
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
            batch=sent, participant=corrected, kind=Proposal.Kind.CORRECTION,
            changes={"address": {"old": OLD_ADDRESS}},
            reason="Alamat di DTSEN masih alamat lama; keluarga pindah rumah dalam kelurahan 2025.",
            verification={"income": True, "assets": True},
        ),
        by=staff,
    )  # fmt: skip
    nik, kk, name, _born, _desil, address, rt, rw, *_rest = _removed()
    proposals.proposal_save(
        proposal=Proposal(
            batch=sent, kind=Proposal.Kind.REMOVAL, nik=nik, kk_number=kk, full_name=name,
            address=address, rt=rt, rw=rw, removal_reason=Proposal.RemovalReason.MOVED,
            reason="Sekeluarga pindah ke Kabupaten Lampung Tengah, Juli 2026 (surat pindah).",
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
    stranger = Participant(
        nik=f"{region}120380{8901:04d}", kk_number=f"{region}150115{8901:04d}",
        birth_date=datetime.date(1980, 3, 12), kelurahan=kelurahan, **STRANGER,
    )  # fmt: skip
    return [(first, 1, False, ""), (stranger, 1, True, ""), (corrected, 1, False, OLD_ADDRESS)]


def load(pilot, program, waiting, staff) -> None:
    programs = [pilot, program]
    _baselines(programs)
    answered = _batches(staff, waiting)
    lists = (
        (min(FIRST_LIST, timezone.localdate()), (1, 10), False),
        (timezone.localdate(), SECOND_SCOPE, True),
    )
    for as_of, (low, high), second in lists:
        if DtsenList.objects.filter(file_name=list_file_name(as_of)).exists():
            continue
        content = _workbook(_list_rows(pilot, programs, answered, second=second))
        result = run_dtsen_import(
            SimpleUploadedFile(list_file_name(as_of), content), user=staff, dry_run=False,
            as_of=as_of, desil_from=low, desil_to=high,
        )  # fmt: skip
        assert result.ok, result.errors[:3]
