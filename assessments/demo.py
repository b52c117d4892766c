"""Demo needs assessments and action plans for the five demo groups.

Hadimulyo Barat, Iringmulyo and Ganjar Asri: assessment reviewed, plan approved. Rejomulyo:
assessment reviewed, plan submitted. Karangrejo: assessment submitted and awaiting review, plan a
draft. (Four groups need a reviewed assessment because their grants have been submitted; see
grants/demo.py.) All dated 7-12 August of the programme year, as in the seed, and written through
the services.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments import services
from assessments.models import NeedsAssessment, Problem
from participants import selectors
from participants.models import ParticipantGroup

Business = ParticipantGroup.BusinessType
Category = Problem.Category

PROBLEMS = (
    (Category.ECONOMIC, "Penghasilan tidak tetap sebagai buruh harian lepas."),
    (Category.ECONOMIC, "Tidak punya modal untuk memulai atau menambah usaha."),
    (Category.HOUSING, "Saluran air tersumbat dan rumah tergenang saat hujan."),
    (Category.EDUCATION, "Anak putus sekolah karena biaya seragam dan transport."),
    (Category.HEALTH, "Belum semua anggota keluarga terdaftar BPJS Kesehatan."),
    (Category.SOCIAL, "Jarang ada kegiatan bersama warga; informasi bantuan tidak sampai."),
)

BUSINESS = {
    Business.JAMU: {
        "interest": "membuat dan menjual jamu",
        "skills": ("meracik kunyit asam", "membuat beras kencur", "berjualan keliling"),
        "reason": "Sebagian besar anggota sudah biasa meracik jamu untuk keluarga dan tetangga; "
        "bahan mudah didapat di pasar Metro.",
        "goal": "Kelompok memproduksi dan memasarkan jamu tradisional kemasan botol secara rutin.",
        "budget": (
            ("Panci dan kompor gas", 3, "set", 850_000),
            ("Blender dan parutan", 3, "unit", 450_000),
            ("Botol plastik 250 ml", 2_000, "buah", 1_500),
            ("Bahan baku awal (kunyit, asam, kencur, gula)", 1, "paket", 4_500_000),
            ("Gerobak/sepeda jualan", 2, "unit", 2_250_000),
            ("Label dan izin PIRT", 1, "paket", 1_200_000),
        ),
    },
    Business.LPG: {
        "interest": "berdagang gas dan kebutuhan rumah tangga",
        "skills": ("mengelola warung", "mencatat keuangan", "mengantar pesanan"),
        "reason": "Warga sekitar sering kesulitan mendapat gas 3 kg; anggota punya pengalaman "
        "berdagang di warung.",
        "goal": "Kelompok menjadi pangkalan/pengecer gas LPG yang melayani warga kelurahan.",
        "budget": (
            ("Tabung gas LPG 3 kg (isi)", 60, "tabung", 190_000),
            ("Isi ulang awal gas 3 kg", 60, "tabung", 22_000),
            ("Rak tabung dan timbangan", 1, "paket", 1_650_000),
            ("Sepeda motor bekas untuk antar", 1, "unit", 3_500_000),
        ),
    },
    Business.KUE: {
        "interest": "membuat kue untuk pesanan dan titipan warung",
        "skills": ("membuat kue basah", "membuat kue kering", "menghias kue"),
        "reason": "Anggota sering menerima pesanan kue untuk hajatan dan pengajian; pasar jelas.",
        "goal": "Kelompok memproduksi aneka kue basah dan kering untuk pesanan dan titipan.",
        "budget": (
            ("Oven gas", 2, "unit", 2_800_000),
            ("Mixer", 3, "unit", 650_000),
            ("Loyang, cetakan dan alat dapur", 1, "paket", 2_400_000),
            ("Bahan baku awal (tepung, telur, gula, mentega)", 1, "paket", 5_000_000),
            ("Etalase kue", 1, "unit", 2_100_000),
        ),
    },
    Business.SAYURAN: {
        "interest": "menanam sayuran di pekarangan dan lahan sewa",
        "skills": ("bercocok tanam", "membuat pupuk kompos", "menjual di pasar pagi"),
        "reason": "Ada lahan sewa dekat permukiman dan anggota terbiasa bertani; sayuran cepat "
        "panen sehingga perputaran modal cepat.",
        "goal": "Kelompok menanam dan menjual sayuran (kangkung, bayam, cabai) secara bergilir.",
        "budget": (
            ("Sewa lahan 1 tahun", 1, "tahun", 4_000_000),
            ("Bibit sayuran dan cabai", 1, "paket", 2_500_000),
            ("Pupuk dan kompos", 40, "karung", 95_000),
            ("Pompa air dan selang", 1, "set", 2_750_000),
            ("Cangkul, sabit, alat semprot", 1, "paket", 1_800_000),
            ("Polybag dan mulsa", 1, "paket", 1_400_000),
        ),
    },
}

# kelurahan code -> (first day in August, how far the demo takes it)
STATES = {
    "1872011004": (7, "plan_approved"),
    "1872041003": (8, "plan_approved"),
    "1872051001": (9, "plan_submitted"),
    "1872031004": (10, "plan_approved"),
    "1872021003": (11, "assessment_submitted"),
}
PILOT_STATES = {code: (4, "plan_approved") for code in ("1872011004", "1872051001")}
ORDER = ("assessment_draft", "assessment_submitted", "plan_submitted", "plan_approved")


def _reached(state: str, step: str) -> bool:
    return ORDER.index(state) >= ORDER.index(step)


def _assessment(group, members, day, rng, *, complete=True):
    business = BUSINESS[group.business_type]
    problems = rng.sample(PROBLEMS, 4)
    start = datetime.date(group.program.year, 8, day)
    profiles = []
    for index, membership in enumerate(members):
        attended = complete or index < 6
        profiles.append(
            services.ProfileInput(
                membership=membership,
                attended=attended or index != 9,
                interests=business["interest"] if attended else "",
                skills=", ".join(rng.sample(business["skills"], 2)) if attended else "",
                business_experience=rng.choice(
                    ("Pernah berjualan kecil-kecilan", "Belum pernah", "Membantu usaha saudara")
                ),
                current_income=Decimal(rng.randrange(300_000, 1_300_000, 50_000)),
                preferred_business=group.business_type,
                willing_to_run_business=True,
            )
        )
    services.assessment_save(
        group=group,
        fields={
            "start_date": start,
            "end_date": start + datetime.timedelta(days=1),
            "venue": f"Balai Kelurahan {group.kelurahan.name}",
            "facilitators": "Pekerja Sosial Demo, Pendamping Kelurahan",
            "chosen_business": group.business_type,
            "chosen_business_other": "",
            "chosen_business_reason": business["reason"] if complete else "",
        },
        problems=[
            services.ProblemInput(
                rank=rank, category=category, description=text, votes=10 - 2 * rank
            )
            for rank, (category, text) in enumerate(problems, start=1)
        ],
        profiles=profiles,
    )


def _plan(group, members):
    business = BUSINESS[group.business_type]
    september = datetime.date(group.program.year, 9, 1)
    services.action_plan_save(
        group=group,
        goal=business["goal"],
        activities=[
            services.ActivityInput(
                "Belanja peralatan dan bahan sesuai RAB",
                members[2],
                september,
                september + datetime.timedelta(days=14),
            ),
            services.ActivityInput(
                "Produksi/penjualan perdana dan pencatatan keuangan",
                members[0],
                september + datetime.timedelta(days=15),
                september + datetime.timedelta(days=45),
            ),
            services.ActivityInput(
                "Rapat bulanan kelompok dan laporan ke pendamping",
                members[1],
                september + datetime.timedelta(days=30),
                datetime.date(group.program.year, 12, 15),
            ),
        ],
        budget_lines=[
            services.BudgetLineInput(item, Decimal(quantity), unit, Decimal(price))
            for item, quantity, unit, price in business["budget"]
        ],
    )


@transaction.atomic
def load(groups, states=STATES) -> None:
    User = get_user_model()
    worker = User.objects.get(username="pekerja")
    supervisor = User.objects.get(username="supervisor")
    for group in groups:
        if NeedsAssessment.objects.filter(group=group).exists():
            continue
        day, state = states[group.kelurahan.code]
        rng = random.Random(f"assessment-{group.kelurahan.code}")
        members = list(selectors.group_members(group))
        _assessment(group, members, day, rng, complete=_reached(state, "assessment_submitted"))
        if not _reached(state, "assessment_submitted"):
            continue
        services.assessment_submit(group=group, by=worker)
        if not _reached(state, "plan_submitted"):
            _plan(group, members)
            continue
        services.assessment_review(
            assessment=group.needs_assessment, by=supervisor, note="Lengkap, lanjutkan."
        )
        _plan(group, members)
        services.action_plan_submit(group=group, by=worker)
        if _reached(state, "plan_approved"):
            services.action_plan_approve(plan=group.action_plan, by=supervisor)
