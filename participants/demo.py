"""Demo data reproducing the seed: one programme, five groups of ten in the five slum kelurahan.

Every person here is fictional; the NIKs have a valid form (they start 1872, the code of Kota
Metro) but belong to nobody. Everything is written through the services, so the demo obeys the same
rules as real data, and running it again changes nothing.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from metro_slum import roles
from participants import eligibility, ranks, services
from participants.models import (
    HouseholdRank,
    Kelurahan,
    KelurahanAssignment,
    Membership,
    Participant,
    ParticipantGroup,
    Program,
)

DEMO_PASSWORD = "metro-demo"  # noqa: S105 - demo accounts only, stated as such in the README

PROGRAM_NAME = "Pemberdayaan dan Pengembangan Keluarga Fakir Miskin di Daerah Slum Area"
PROGRAM_YEAR = 2026
# An earlier, smaller pilot in two kelurahan, so that a kelurahan has a history and the demo shows
# a closed grant and one whose accountability report is still outstanding.
PILOT_NAME = "Uji Coba Usaha Ekonomi Produktif Keluarga Miskin"
PILOT_YEAR = 2025


@dataclass(frozen=True)
class DemoGroup:
    kelurahan_code: str
    name: str
    business_type: str


PILOT_GROUPS = (
    DemoGroup("1872011004", "Kelompok Kue Mawar Hadimulyo", ParticipantGroup.BusinessType.KUE),
    DemoGroup("1872051001", "Kelompok Sayur Rejo Lestari", ParticipantGroup.BusinessType.SAYURAN),
)

DEMO_GROUPS = (
    DemoGroup("1872011004", "Kelompok Jamu Sekar Arum", ParticipantGroup.BusinessType.JAMU),
    DemoGroup("1872041003", "Kelompok Gas Iring Makmur", ParticipantGroup.BusinessType.LPG),
    DemoGroup("1872051001", "Kelompok Gas Rejo Sejahtera", ParticipantGroup.BusinessType.LPG),
    DemoGroup("1872031004", "Kelompok Kue Asri Manis", ParticipantGroup.BusinessType.KUE),
    DemoGroup("1872021003", "Kelompok Sayur Karang Hijau", ParticipantGroup.BusinessType.SAYURAN),
)

MEN = (
    "Agus Santoso", "Bambang Riyadi", "Darmaji", "Edi Susanto", "Hartono", "Joko Purnomo",
    "Komarudin", "Mulyadi", "Nur Hidayat", "Paijo", "Rohmat", "Slamet Widodo", "Sugeng Priyanto",
    "Suparman", "Tukiman", "Wagiman", "Yusuf Efendi", "Zainal Arifin", "Ahmad Fauzi",
    "Heri Kurniawan",
)  # fmt: skip
WOMEN = (
    "Sri Wahyuni", "Siti Aminah", "Sumarni", "Tri Lestari", "Wartini", "Yuliana", "Ngatini",
    "Rukmini", "Suyatmi", "Endang Susilowati", "Marsiyah", "Painem", "Dewi Anggraini", "Kasiyem",
    "Rahmawati", "Sulastri", "Umi Kulsum", "Winarsih", "Nur Aini", "Tumini", "Lasmini", "Suminah",
)  # fmt: skip
BIRTH_PLACES = ("Metro", "Metro", "Lampung Tengah", "Lampung Timur", "Pringsewu", "Kebumen")
OCCUPATIONS = (
    "Buruh harian lepas", "Ibu rumah tangga", "Pedagang kecil", "Petani penggarap",
    "Tukang ojek", "Buruh cuci", "Pemulung", "Tidak bekerja",
)  # fmt: skip
STREETS = ("Jl. Kenanga", "Jl. Melati", "Jl. Mawar", "Jl. Flamboyan", "Jl. Cempaka", "Gg. Mangga")

# Two members let in by a supervisor although their household ranks above desil 2.
EXCEPTIONS = {
    ("Kelompok Kue Asri Manis", 8): {
        "desil": 3,
        "exception": (
            "Suami di-PHK pabrik Juni 2026; keluarga jatuh miskin setelah pemutakhiran DTSEN "
            "terakhir. Diusulkan perbaikan desil."
        ),
    },
    ("Kelompok Kue Asri Manis", 9): {
        "desil": 3,
        "exception": (
            "Rumah rusak berat karena angin puting beliung Juli 2026; penghasilan hilang. "
            "Hasil kunjungan rumah pekerja sosial 10/07/2026."
        ),
    },
}

# The women-led businesses of the seed (jamu, cakes) have women members; the others are mixed.
WOMEN_SHARE = {"herbal_drinks": 1.0, "cakes": 0.9, "lpg": 0.4, "vegetables": 0.5}
OFFICER_ROLES = (
    Membership.Role.KETUA,
    Membership.Role.SEKRETARIS,
    Membership.Role.BENDAHARA,
)

DEMO_ACCOUNTS = (
    # username, role group, first name, is_staff, assigned kelurahan codes
    ("supervisor", roles.SUPERVISOR, "Supervisor Demo", True, ()),
    ("staf", roles.ADMIN_STAFF, "Staf Administrasi Demo", True, ()),
    ("pekerja", roles.SOCIAL_WORKER, "Pekerja Sosial Demo", False, ("1872011004", "1872021003")),
    ("kepala", roles.HEAD_OF_OFFICE, "Kepala Dinas Demo", True, ()),
    # A supervisor designated for sensitive complaints (harassment, a fee asked by an officer).
    (
        "pengaduan",
        (roles.SUPERVISOR, roles.SENSITIVE_COMPLAINTS),
        "Pengelola Pengaduan Demo",
        True,
        (),
    ),
)


def _nik_like(region: str, date: datetime.date, serial: int, day_offset: int = 0) -> str:
    return f"{region}{date.day + day_offset:02d}{date:%m%y}{serial:04d}"


def _demo_people(group_index: int, demo: DemoGroup, kelurahan: Kelurahan, year: int):
    """Yield ten fictional residents of the kelurahan, the same ten on every run."""
    rng = random.Random(demo.kelurahan_code if demo in DEMO_GROUPS else f"{demo.name}-{year}")
    region = kelurahan.kecamatan.code
    women = rng.sample(WOMEN, 10)
    men = rng.sample(MEN, 10)
    for index in range(10):
        is_female = rng.random() < WOMEN_SHARE[demo.business_type]
        name = women[index] if is_female else men[index]
        birth_date = datetime.date(rng.randint(1968, 2000), rng.randint(1, 12), rng.randint(1, 28))
        family_card_date = datetime.date(
            rng.randint(2010, 2022), rng.randint(1, 12), rng.randint(1, 28)
        )
        serial = 1000 * (group_index + 1) + index + 1
        yield {
            "nik": _nik_like(region, birth_date, serial, 40 if is_female else 0),
            "kk_number": _nik_like(region, family_card_date, serial),
            "full_name": name,
            "sex": Participant.Sex.FEMALE if is_female else Participant.Sex.MALE,
            "birth_place": rng.choice(BIRTH_PLACES),
            "birth_date": birth_date,
            "address": f"{rng.choice(STREETS)} No. {rng.randint(1, 80)}",
            "rt": f"{rng.randint(1, 30):03d}",
            "rw": f"{rng.randint(1, 9):03d}",
            "kelurahan": kelurahan,
            "phone": f"08{rng.randint(11, 99)}{rng.randint(10000000, 99999999)}",
            "occupation": rng.choice(OCCUPATIONS),
            "monthly_income": Decimal(rng.randrange(300_000, 1_500_000, 50_000)),
            "household_size": rng.randint(2, 7),
            # The household's DTSEN rank: every demo member within the programme's desil 1-2;
            # born 1968 or later, of working age (18-59) when they joined in 2025 or 2026.
            "desil": rng.choice((1, 1, 2, 2, 2)),
            **EXCEPTIONS.get((demo.name, index), {}),
            "consent_given": True,
            "consent_date": datetime.date(year, 7, 20),
            # Two in three agreed to SMS/WhatsApp messages from the office.
            "messages_consent": index % 3 != 2,
        }


def _register(person: dict, *, ranked: bool = True) -> Participant:
    """Register a demo resident, with their household's rank from this month's DTSEN list
    (unless `ranked` is False: a household not looked up yet)."""
    person = dict(person)
    desil = person.pop("desil")
    person.pop("exception", None)
    participant = services.participant_create(**person)
    if ranked and ranks.latest_rank(participant.kk_number) is None:
        ranks.rank_record(
            kk_number=participant.kk_number,
            desil=desil,
            as_of=timezone.localdate().replace(day=1),
            source=HouseholdRank.Source.DTSEN_IMPORT,
            by=None,
        )
    return participant


def _program(name=PROGRAM_NAME, year=PROGRAM_YEAR, **fields) -> Program:
    program = Program.objects.filter(name=name, year=year).first()
    if program:
        return program
    fields = {
        "start_date": datetime.date(year, 7, 1),
        "end_date": datetime.date(year, 12, 31),
        "description": (
            "Program perdana penanganan slum area Kota Metro: satu kelompok sepuluh warga miskin "
            "di lima kelurahan menerima bantuan modal usaha sesuai minat dan keahlian, setelah "
            "asesmen kebutuhan partisipatif dan penyusunan rencana tindak partisipatif."
        ),
        "total_budget": Decimal("100000000"),
        "grant_ceiling_per_group": Decimal("20000000"),
        **fields,
    }
    program = Program(name=name, year=year, **fields)
    program.full_clean()
    program.save()
    return program


def _pilot() -> Program:
    return _program(
        PILOT_NAME,
        PILOT_YEAR,
        description=(
            "Uji coba bantuan usaha ekonomi produktif bagi dua kelompok warga miskin sebelum "
            "program slum area dimulai."
        ),
        total_budget=Decimal("40000000"),
        is_active=False,
    )


def _group(program: Program, group_index: int, demo: DemoGroup) -> ParticipantGroup:
    kelurahan = Kelurahan.objects.select_related("kecamatan").get(code=demo.kelurahan_code)
    group = ParticipantGroup.objects.filter(
        program=program, kelurahan=kelurahan, name=demo.name
    ).first() or services.group_create(
        program=program, kelurahan=kelurahan, name=demo.name, business_type=demo.business_type
    )
    members = set(group.memberships.values_list("participant__nik", flat=True))
    year = program.year
    for index, person in enumerate(_demo_people(group_index, demo, kelurahan, year)):
        participant = Participant.objects.filter(nik=person["nik"]).first() or _register(person)
        reason = person.get("exception")
        if reason and not participant.eligibility_exceptions.filter(program=program).exists():
            eligibility.exception_grant(
                program=program,
                participant=participant,
                reason=reason,
                by=get_user_model().objects.get(username="supervisor"),
                # Decided at the group's forming, before the members joined on the 25th.
                at=timezone.make_aware(datetime.datetime(year, 7, 22, 10)),
            )
        if participant.nik not in members:
            role = OFFICER_ROLES[index] if index < len(OFFICER_ROLES) else Membership.Role.ANGGOTA
            services.membership_add(
                group=group,
                participant=participant,
                role=role,
                joined_on=datetime.date(year, 7, 25),
            )
    return group


def _accounts() -> list[tuple[str, str, bool]]:
    """Create the demo accounts that do not exist yet; an existing account, whoever made it, is
    left as it is (its password above all): (username, role, created) for each."""
    User = get_user_model()
    accounts = []
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD, first_name="Administrator")
        accounts.append(("admin", "superuser", True))
    else:
        accounts.append(("admin", "superuser", False))
    for username, role, first_name, is_staff, kelurahan_codes in DEMO_ACCOUNTS:
        names = role if isinstance(role, tuple) else (role,)
        role = " + ".join(names)
        if User.objects.filter(username=username).exists():
            accounts.append((username, role, False))
            continue
        user = User.objects.create_user(
            username, password=DEMO_PASSWORD, first_name=first_name, is_staff=is_staff
        )
        user.groups.set(Group.objects.filter(name__in=names))
        for code in kelurahan_codes:
            KelurahanAssignment.objects.get_or_create(
                user=user, kelurahan=Kelurahan.objects.get(code=code)
            )
        accounts.append((username, role, True))
    return accounts


# Residents registered after the groups were formed: on the waiting list, in no group yet.
WAITING = (DemoGroup("1872011004", "Menunggu kelompok", ParticipantGroup.BusinessType.KUE),)


def _waiting() -> list[Participant]:
    waiting = []
    for demo in WAITING:
        kelurahan = Kelurahan.objects.select_related("kecamatan").get(code=demo.kelurahan_code)
        people = _demo_people(len(DEMO_GROUPS) + len(PILOT_GROUPS), demo, kelurahan, PROGRAM_YEAR)
        in_groups = kelurahan.participants.filter(memberships__isnull=False)
        taken = set(in_groups.values_list("full_name", flat=True))
        for person in [person for person in people if person["full_name"] not in taken][:2]:
            participant = Participant.objects.filter(nik=person["nik"]).first()
            # Not in DTSEN yet: the office proposes them (participants.demo_dtsen).
            waiting.append(participant or _register(person, ranked=False))
    return waiting


@transaction.atomic
def load() -> dict:
    """Create or complete the demo programme, groups, participants and accounts."""
    roles.sync_role_groups()
    accounts = _accounts()  # first: the supervisor grants the demo's exceptions
    pilot = _pilot()
    pilot_groups = [
        _group(pilot, len(DEMO_GROUPS) + index, demo) for index, demo in enumerate(PILOT_GROUPS)
    ]
    program = _program()
    groups = [_group(program, index, demo) for index, demo in enumerate(DEMO_GROUPS)]
    waiting = _waiting()
    return {
        "program": program,
        "groups": groups,
        "pilot": pilot,
        "pilot_groups": pilot_groups,
        "waiting": waiting,
        "accounts": accounts,
        "staff": get_user_model().objects.get(username="staf"),
    }
