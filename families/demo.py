"""The demo's families after the grant: follow-ups, other aid, outcomes.

Each 2026 group's two most pressing problems are followed up, in every state a follow-up can be in
(one is overdue); some households received aid from other agencies (one food parcel twice in a
month, flagged). Outcomes: the 2025 pilot in Hadimulyo Barat was measured at 3, 6 and 12 months
and its cake business still runs; Rejomulyo's vegetable business stopped before 6 months and its
12-month measurement is due; the 2026 herbal-drink group in Hadimulyo Barat has its baseline and
its 3-month measurement. Written through the services, like real work.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from families import services
from families.models import AidKind, FollowUp, PovertyLine
from families.selectors import SERVICE_FOR_CATEGORY
from grants.demo import PDF, PNG

Status, Scope, Service = FollowUp.Status, FollowUp.Scope, FollowUp.Service

# Example lines for the demo only; the office enters BPS's published figure for each year.
POVERTY_LINES = {2025: 520_000, 2026: 545_000}
LINE_SOURCE = "Angka contoh untuk demo – ganti dengan angka BPS Kota Metro"

# (status reached, its steps with the day they happened, overdue) – one per followed problem.
STORIES = (
    ("resolved", (("refer", (9, 2)), ("start", (9, 20)), ("resolve", (10, 28))), False),
    ("in_progress", (("refer", (9, 10)), ("start", (10, 5))), False),
    ("referred", (("refer", (10, 1)),), True),
    ("open", (), False),
    ("declined", (("refer", (9, 12)), ("decline", (10, 14))), False),
    ("not_possible", (("refer", (9, 15)), ("impossible", (11, 3))), False),
    ("resolved", (("refer", (9, 5)), ("resolve", (11, 10))), False),
    ("open", (), True),
    ("referred", (("refer", (11, 2)),), False),
    ("in_progress", (("refer", (9, 25)), ("start", (10, 20))), True),
)
AGENCY = {
    Service.BPJS_PBI: "BPJS Kesehatan Cabang Metro",
    Service.IDENTITY: "Disdukcapil Kota Metro",
    Service.DTSEN: "Dinas Sosial – operator SIKS-NG kelurahan",
    Service.HOUSING: "Dinas Perkim Kota Metro",
    Service.SCHOOLING: "Dinas Pendidikan Kota Metro",
    Service.SANITATION: "Dinas PUPR – program sanitasi",
    Service.TRAINING: "UPTD Balai Latihan Kerja Kota Metro",
    Service.HEALTH_CARE: "Puskesmas kelurahan",
    Service.OTHER: "Kelurahan",
}
NOTES = {
    "refer": "Surat rujukan diantar bersama keluarga.",
    "start": "Berkas diterima, sedang diverifikasi.",
    "resolve": "Selesai; bukti terlampir.",
    "decline": "Keluarga memilih tidak melanjutkan karena sudah bekerja di luar kota.",
    "impossible": "Tidak memenuhi syarat program tahun ini; diajukan lagi tahun depan.",
}


def _follow_ups(groups, worker) -> None:
    story = 0
    for group in groups:
        assessment = getattr(group, "needs_assessment", None)
        if assessment is None or group.follow_ups.exists():
            continue
        members = list(group.memberships.select_related("participant").order_by("pk"))
        for problem in assessment.problems.order_by("rank")[:2]:
            reached, steps, overdue = STORIES[story % len(STORIES)]
            service = SERVICE_FOR_CATEGORY.get(problem.category, Service.OTHER)
            member = members[story % len(members)].participant
            scope = (
                Scope.GROUP if story % 3 == 0 else Scope.HOUSEHOLD if story % 3 else Scope.MEMBER
            )
            year = group.program.year
            follow_up = services.follow_up_create(
                group=group,
                by=worker,
                problem=problem,
                need=problem.description,
                scope=scope,
                participant=None if scope == Scope.GROUP else member,
                service=service,
                due_date=datetime.date(year, 11, 15) if overdue else datetime.date(year, 12, 31),
                on=datetime.date(year, 8, 28),
            )
            for step, (month, day) in steps:
                files = ()
                if step == "resolve":
                    files = (ContentFile(PDF, name="bukti-selesai.pdf"),)
                services.follow_up_step(
                    follow_up=follow_up,
                    step=step,
                    by=worker,
                    on=datetime.date(year, month, day),
                    note=NOTES[step],
                    referred_to=AGENCY[service] if step == "refer" else "",
                    files=files,
                )
            assert FollowUp.objects.get(pk=follow_up.pk).status == reached
            story += 1
    # A need noted for one member after the assessment: a KTP lost in a flood, to Disdukcapil.
    group = groups[0]
    member = group.memberships.order_by("pk").last().participant
    if not group.follow_ups.filter(service=Service.IDENTITY).exists():
        follow_up = services.follow_up_create(
            group=group,
            by=worker,
            category="social",
            need="KTP hilang saat banjir; perlu KTP baru untuk membuka rekening.",
            scope=Scope.MEMBER,
            participant=member,
            service=Service.IDENTITY,
            due_date=datetime.date(group.program.year, 12, 15),
            on=datetime.date(group.program.year, 11, 18),
        )
        services.follow_up_step(
            follow_up=follow_up,
            step="refer",
            by=worker,
            on=datetime.date(group.program.year, 11, 20),
            note=NOTES["refer"],
            referred_to=AGENCY[Service.IDENTITY],
        )
        services.evidence_add(
            follow_up=follow_up,
            by=worker,
            files=[ContentFile(PNG, name="surat-kehilangan-polsek.png")],
        )


def _aid(groups, staff) -> None:
    kinds = {kind.name: kind for kind in AidKind.objects.all()}
    for index, group in enumerate(groups):
        people = [m.participant for m in group.memberships.select_related("participant")]
        if any(person.aid.exists() for person in people):
            continue
        year = group.program.year
        for number, person in enumerate(people):
            if number % 3 == 0:
                services.aid_record(
                    by=staff,
                    participant=person,
                    kind=kinds["PKH (bantuan tunai bersyarat)"],
                    source="Kemensos – PKH tahap III",
                    received_on=datetime.date(year, 8, 10),
                    value=Decimal(750_000),
                )
            if number % 4 == 1:
                services.aid_record(
                    by=staff,
                    participant=person,
                    kind=kinds["Jaminan kesehatan (BPJS PBI)"],
                    source="Kemensos – PBI JK",
                    received_on=datetime.date(year, 10, 1),
                    quantity=Decimal(person.household_size),
                    note="Seluruh anggota keluarga",
                )
        if index == 0:
            first = people[2]
            for day, confirm in ((5, False), (19, True)):
                services.aid_record(
                    by=staff,
                    participant=first,
                    kind=kinds["Bantuan pangan (sembako)"],
                    source="Baznas Kota Metro" if confirm else "Dinas Sosial – cadangan pangan",
                    received_on=datetime.date(year, 11, day),
                    quantity=Decimal(1),
                    note="Tercatat dua kali dalam sebulan: dicek ke Baznas." if confirm else "",
                    confirm_double=confirm,
                )
            services.aid_record(
                by=staff,
                participant=people[5],
                kind=kinds["Bedah rumah (RTLH)"],
                source="Dinas Perkim – RTLH APBD",
                received_on=datetime.date(year, 10, 20),
                value=Decimal(17_500_000),
            )


# Income change per member at each follow-up, and whether the business runs.
TRAJECTORIES = {
    "Kelompok Kue Mawar Hadimulyo": (
        (3, (12, 16), True, (150, 250, 300, 0, 200, 350, 100, 250, 400, 150)),
        (6, (3, 17), True, (300, 400, 450, 50, 350, 500, 150, 300, 600, 250)),
        (12, (9, 16), True, (450, 550, 600, 100, 400, 700, 200, 350, 800, 300)),
    ),
    "Kelompok Sayur Rejo Lestari": (
        (3, (12, 18), True, (100, 150, 50, 200, 0, 100, 150, 50, 100, 0)),
        (6, (3, 20), False, (0, 50, -50, 100, -100, 0, 50, 0, 0, -50)),
    ),
    "Kelompok Jamu Sekar Arum": (
        (3, (11, 25), True, (200, 350, 150, 0, 250, 400, -50, 300, 450, 200)),
    ),
}


def _measurements(groups, worker) -> None:
    for group in groups:
        trajectory = TRAJECTORIES.get(group.name)
        if trajectory is None or group.measurements.exists():
            continue
        baseline = services.baseline_take(group=group, by=worker)
        rows = sorted(baseline.members.select_related("participant"), key=lambda r: r.pk)
        rng = random.Random(group.name)
        year = group.program.year
        for months, (month, day), running, changes in trajectory:
            measured_on = datetime.date(year + (1 if month < 9 or months == 12 else 0), month, day)
            left = rng.randrange(len(rows)) if months >= 6 else None
            services.measurement_record(
                group=group,
                milestone=months,
                by=worker,
                measured_on=measured_on,
                business_running=running,
                note="" if running else "Usaha berhenti: harga sayur jatuh, modal terpakai.",
                members=[
                    {
                        "participant": row.participant,
                        "monthly_income": max(row.monthly_income + change * 1000, Decimal(0)),
                        "household_size": row.household_size,
                        "active": running and index != left,
                        "household_change": "Anak pertama masuk SMP."
                        if index == 1 and months == 6
                        else "",
                    }
                    for index, (row, change) in enumerate(zip(rows, changes, strict=True))
                ],
            )


@transaction.atomic
def load(groups, pilot_groups) -> None:
    User = get_user_model()
    worker = User.objects.get(username="pekerja")
    staff = User.objects.get(username="staf")
    for year, amount in POVERTY_LINES.items():
        PovertyLine.objects.get_or_create(
            year=year, defaults={"amount": Decimal(amount), "source": LINE_SOURCE}
        )
    _follow_ups(groups, worker)
    _aid(groups, staff)
    _measurements([*pilot_groups, *groups], worker)
