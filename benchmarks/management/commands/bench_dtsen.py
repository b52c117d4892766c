"""Measure the DTSEN list import: 10,000 rows previewed, then confirmed.

Run it on a database of its own (`make bench-dtsen` uses .bench/bench.sqlite3). It registers
3,000 participants, then writes a DTSEN list of 10,000 rows: 3,000 of them the participants
(found by NIK), 1,000 their relatives (found by No. KK) and 6,000 residents not in the programme
(listed as candidates). The preview and the confirmation each run in a process of their own, so
that each peak memory figure is its own; the confirmation takes the rows the preview read, as
in the admin.
"""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from openpyxl import Workbook

from benchmarks.management.commands.bench_excel import _measure
from participants.models import Candidate, HouseholdRank, Kelurahan, Participant
from participants.spreadsheet import dtsen

SERIAL_OFFSET = 5000  # the NIKs' serials, clear of bench_excel's


def _person(place, index: int) -> tuple[str, str, datetime.date]:
    born = datetime.date(1966, 1, 1) + datetime.timedelta(days=index // 4000)
    serial = SERIAL_OFFSET + index % 4000
    nik = f"{place.kecamatan.code}{born:%d%m%y}{serial:04d}"
    return nik, f"{place.kecamatan.code}16{index:08d}", born


def _prepare(rows: int, participants: int, relatives: int) -> bytes:
    """The participants in the database, and the list's bytes."""
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("code"))
    people = [_person(kelurahan[i % len(kelurahan)], i) for i in range(rows)]
    Participant.objects.filter(nik__in=[nik for nik, _kk, _b in people]).delete()
    HouseholdRank.objects.all().delete()
    Candidate.objects.all().delete()
    Participant.objects.bulk_create(
        (
            Participant(
                nik=nik, kk_number=kk, full_name=f"Peserta DTSEN {i:05d}", sex="L",
                birth_place="Metro", birth_date=born, address="Jl. Melati 1", rt="001",
                rw="002", kelurahan=kelurahan[i % len(kelurahan)],
                monthly_income=Decimal(750_000),
            )
            for i, (nik, kk, born) in enumerate(people[:participants])
        ),
        batch_size=2000,
    )  # fmt: skip
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("DTSEN")
    ws.append(["DTSEN Kota Metro – triwulan III 2026"])
    ws.append([])
    ws.append(["NIK", "No. KK", "Nama", "Tanggal Lahir", "Desil", "Alamat", "RT", "RW",
               "Kelurahan", "ID DTSEN"])  # fmt: skip
    for i, (nik, kk, born) in enumerate(people):
        place = kelurahan[i % len(kelurahan)]
        if participants <= i < participants + relatives:
            kk = people[i - participants][1]  # a participant's household
            place = kelurahan[(i - participants) % len(kelurahan)]
        ws.append([nik, kk, f"Warga DTSEN {i:05d}", born.strftime("%d/%m/%Y"), i % 10 + 1,
                   "Jl. Mawar 2", "001", "002", place.name, f"DT{i:08d}"])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _run(content, dry_run):
    user = get_user_model().objects.get(username="bench")
    outcome = dtsen.run_dtsen_import(
        SimpleUploadedFile("dtsen.xlsx", content),
        user=user,
        dry_run=dry_run,
        as_of=datetime.date(2026, 9, 30),
    )
    assert outcome.ok, outcome.errors[:3]
    return (
        f"{outcome.ranks_recorded:,} peringkat, {outcome.matched_by_nik:,} menurut NIK, "
        f"{outcome.matched_by_kk:,} menurut KK, {outcome.candidates:,} calon"
    )


class Command(BaseCommand):
    help = "Benchmark the DTSEN list import: preview and confirmation of 10,000 rows."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--participants", type=int, default=3_000)
        parser.add_argument("--relatives", type=int, default=1_000)

    def handle(self, *args, rows, participants, relatives, **options):
        user, _created = get_user_model().objects.get_or_create(username="bench")
        user.is_superuser = True
        user.save()
        content = _prepare(rows, participants, relatives)
        self.stdout.write(
            f"Impor daftar DTSEN {rows:,} baris ({len(content) / 2**20:.1f} MiB XLSX; "
            f"{participants:,} peserta terdaftar):"
        )
        for label, dry_run in (("pratinjau (uji coba)", True), ("konfirmasi (simpan)", False)):
            seconds, peak, note = _measure(_run, content, dry_run)
            self.stdout.write(f"  {label:<22} {seconds:7.2f} s   puncak {peak:7.1f} MiB   {note}")
        self.stdout.write(
            f"  tercatat: {HouseholdRank.objects.count():,} peringkat keluarga, "
            f"{Candidate.objects.count():,} calon"
        )
