"""Factories that build valid records; NIKs agree with the birth date and sex they are made for."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from participants.models import HouseholdRank, Kelurahan, Participant, ParticipantGroup, Program

HADIMULYO_BARAT = "1872011004"
KARANGREJO = "1872021003"


# The serials of factory-made NIKs and family cards: the low ones are left to the rows tests write
# by hand (tests/participants/spreadsheet_files.py numbers its people from 1), so that a person a
# test names is never one the factory made earlier in the same worker.
FACTORY_SERIALS = range(5000, 9999)


def make_nik(region: str, birth_date: datetime.date, *, female: bool, serial: int) -> str:
    day = birth_date.day + (40 if female else 0)
    return f"{region}{day:02d}{birth_date:%m%y}{serial:04d}"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program Uji {n}")
    year = 2026
    start_date = datetime.date(2026, 7, 1)
    # Open until a year from today: the tests' steps taken today stay within the programme
    # (metro_slum.chronology) whatever day the suite runs.
    end_date = factory.LazyFunction(
        lambda: max(datetime.date(2026, 12, 31), timezone.localdate() + datetime.timedelta(365))
    )
    total_budget = Decimal("100000000")
    grant_ceiling_per_group = Decimal("20000000")


def record_rank(kk_number: str, desil: int | None, *, as_of=None, **fields):
    """A household's reading as a DTSEN list would give it (as of today by default)."""
    return HouseholdRank.objects.create(
        kk_number=kk_number,
        desil=desil,
        as_of=as_of or timezone.localdate(),
        source=HouseholdRank.Source.DTSEN_IMPORT,
        **fields,
    )


def _kelurahan(code=HADIMULYO_BARAT):
    return Kelurahan.objects.select_related("kecamatan").get(code=code)


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Peserta Uji {n:04d}")
    sex = Participant.Sex.MALE
    birth_place = "Metro"
    birth_date = datetime.date(1985, 8, 12)
    kelurahan = factory.LazyFunction(_kelurahan)
    nik = factory.LazyAttributeSequence(
        lambda o, n: make_nik(
            o.kelurahan.kecamatan.code,
            o.birth_date,
            female=o.sex == Participant.Sex.FEMALE,
            serial=FACTORY_SERIALS.start + n % len(FACTORY_SERIALS),
        )
    )
    kk_number = factory.LazyAttributeSequence(
        lambda o, n: (
            f"{o.kelurahan.kecamatan.code}150115"
            f"{FACTORY_SERIALS.start + n % len(FACTORY_SERIALS):04d}"
        )
    )
    address = "Jl. Kenanga No. 5"
    rt = "003"
    rw = "002"
    monthly_income = Decimal("750000")
    household_size = 4
    consent_given = True
    consent_date = datetime.date(2026, 7, 20)

    @factory.post_generation
    def rank(self, create, extracted, **kwargs):
        """The household's DTSEN reading as of today: desil 1 unless the test names
        another (`rank=6`), or none (`rank=False`)."""
        if create and extracted is not False:
            record_rank(self.kk_number, 1 if extracted is None else extracted)


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = ParticipantGroup

    name = factory.Sequence(lambda n: f"Kelompok Uji {n}")
    program = factory.SubFactory(ProgramFactory)
    kelurahan = factory.LazyFunction(_kelurahan)
    business_type = ParticipantGroup.BusinessType.JAMU


def participant_fields(kelurahan, **overrides):
    """Return the fields of a valid participant as a user would type them (separators included)."""
    fields = {
        "nik": "1872 0112 0885 0003",
        "kk_number": "1872.0115.0115.0001",
        "full_name": "Slamet Widodo",
        "sex": Participant.Sex.MALE,
        "birth_place": "Metro",
        "birth_date": datetime.date(1985, 8, 12),
        "address": "Jl. Melati No. 7",
        "rt": "004",
        "rw": "002",
        "kelurahan": kelurahan,
        "household_size": 4,
        "legal_basis": Participant.LegalBasis.PUBLIC_TASK,
        "consent_given": True,
        "consent_date": datetime.date(2026, 7, 20),
    }
    fields.update(overrides)
    return fields


def as_form_data(fields):
    """Turn model values into what a browser posts: primary keys, ISO dates, 'on' for ticks."""
    data = {}
    for name, value in fields.items():
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif value is True:
            value = "on"
        elif value is False or value is None:
            continue
        data[name] = value
    return data
