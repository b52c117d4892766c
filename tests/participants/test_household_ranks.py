"""A household's DTSEN rank: readings kept with their quarter and source, the latest one shown
on the person's page, the group page, the family record and the admin list, stale ones marked;
the typed DTKS status of an older database becomes the first reading, and back."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from participants import ranks
from participants.models import HouseholdRank
from participants.quarters import parse_quarter, quarter_of
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

THIS_QUARTER = quarter_of(datetime.date.today())


def record(kk_number, quarter=THIS_QUARTER, source=HouseholdRank.Source.DTSEN_IMPORT, **fields):
    return ranks.rank_record(kk_number=kk_number, quarter=quarter, source=source, by=None, **fields)


@pytest.mark.parametrize(
    "written", ["2026-Q3", "2026 Q3", "2026q3", "Q3 2026", "q3-2026", "TW3 2026", "2026/3"]
)
def test_a_quarter_is_read_as_clerks_write_it(written):
    assert parse_quarter(written) == "2026-Q3"


@pytest.mark.parametrize("written", ["2026-Q5", "Juli 2026", "2026", "26-Q3", ""])
def test_a_quarter_that_is_not_one_is_refused_with_how_to_write_it(written):
    with pytest.raises(ValidationError) as refused:
        parse_quarter(written)
    assert "contoh 2026-Q3" in refused.value.messages[0]


def test_the_latest_reading_is_the_households_rank_and_the_earlier_ones_are_kept(
    worker_client, full_group
):
    chair = full_group.memberships.get(role="chair").participant
    HouseholdRank.objects.filter(kk_number=chair.kk_number).delete()  # the factory's reading
    others = full_group.memberships.exclude(participant=chair).values("participant__kk_number")
    HouseholdRank.objects.filter(kk_number__in=others).delete()
    record(chair.kk_number, "2025-Q4", desil=3)
    record(chair.kk_number, THIS_QUARTER, desil=1, source=HouseholdRank.Source.FIELD)

    assert ranks.latest_rank(chair.kk_number).desil == 1
    assert HouseholdRank.objects.filter(kk_number=chair.kk_number).count() == 2

    page = worker_client.get(reverse("person", args=[chair.pk])).content.decode()
    assert f"Desil 1 ({THIS_QUARTER})" in page
    assert "Verifikasi lapangan" in page
    assert "Desil 3 (2025-Q4) · Daftar DTSEN" in page  # among the earlier readings

    group_page = worker_client.get(reverse("group", args=[full_group.pk])).content.decode()
    assert group_page.count(f"Desil 1 ({THIS_QUARTER})") == 1
    assert group_page.count("Belum ada data DTSEN") == 9


def test_a_household_not_in_dtsen_and_one_in_it_without_a_rank_say_so(worker_client):
    outside = ParticipantFactory(rank=False)
    unranked = ParticipantFactory(rank=False)
    record(outside.kk_number, in_dtsen=False)
    record(unranked.kk_number, desil=None)

    assert "Tidak ada di DTSEN" in worker_client.get(reverse("person", args=[outside.pk])).text
    assert "Ada di DTSEN, desil belum diketahui" in (
        worker_client.get(reverse("person", args=[unranked.pk])).text
    )


def test_a_stale_reading_asks_for_re_checking(worker_client, settings):
    settings.DTSEN_CURRENT_QUARTERS = 2
    person = ParticipantFactory(rank=False)
    old = record(person.kk_number, "2024-Q1", desil=2)

    assert old.stale
    page = worker_client.get(reverse("person", args=[person.pk])).text
    assert "Desil 2 (2024-Q1)" in page
    assert "sudah lama: periksa ulang" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"desil": 11}, "Desil adalah bilangan bulat 1 sampai 10."),
        ({"desil": 0}, "Desil adalah bilangan bulat 1 sampai 10."),
        ({"desil": 2, "in_dtsen": False}, "tidak punya desil"),
        ({"desil": 2, "quarter": "Q5 2026"}, "bukan triwulan"),
    ],
)
def test_a_reading_that_cannot_be_is_refused_and_nothing_is_written(fields, message):
    person = ParticipantFactory(rank=False)
    fields = {"quarter": THIS_QUARTER, **fields}
    with pytest.raises(ValidationError) as refused:
        record(person.kk_number, **fields)
    assert message in " ".join(refused.value.messages)
    assert not HouseholdRank.objects.exists()


def test_the_family_record_lists_the_households_readings(worker_client, full_group):
    chair = full_group.memberships.get(role="chair").participant
    HouseholdRank.objects.filter(kk_number=chair.kk_number).delete()  # the factory's reading
    record(chair.kk_number, "2026-Q1", desil=2)
    record(chair.kk_number, "2026-Q2", desil=4, source=HouseholdRank.Source.SIKS_NG)

    page = worker_client.get(reverse("families:family_card", args=[chair.pk])).text
    assert 'id="card-ranks"' in page
    assert "Desil 4 (2026-Q2)" in page
    assert "Cek SIKS-NG" in page


def test_the_admin_list_shows_and_filters_by_the_households_rank(client, admin_staff):
    poorest = ParticipantFactory(rank=False, full_name="Warga Desil Satu")
    richer = ParticipantFactory(rank=False, full_name="Warga Desil Tujuh")
    ParticipantFactory(rank=False, full_name="Warga Belum Dicek")
    record(poorest.kk_number, desil=1)
    record(richer.kk_number, desil=7)
    client.force_login(admin_staff)
    url = reverse("admin:participants_participant_changelist")

    page = client.get(url).text
    assert f"Desil 1 ({THIS_QUARTER})" in page and f"Desil 7 ({THIS_QUARTER})" in page

    banded = client.get(url, {"desil": "1-2"}).text
    assert "Warga Desil Satu" in banded
    assert "Warga Desil Tujuh" not in banded and "Warga Belum Dicek" not in banded
    unread = client.get(url, {"desil": "none"}).text
    assert "Warga Belum Dicek" in unread and "Warga Desil Satu" not in unread


# Serialized rollback: the emptied tables are refilled for the next test, as the other transactional
# tests leave them.
@pytest.mark.migrations
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_older_databases_dtks_status_becomes_the_first_reading_and_back():
    before, after = ("participants", "0019_english_codes"), ("participants", "0020_household_ranks")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    Participant = old.get_model("participants", "Participant")
    Kelurahan = old.get_model("participants", "Kelurahan")
    place = Kelurahan.objects.get(code="1872011004")
    people = {
        # Two of one household: "registered" for one of them counts for the family card.
        "registered": ("1872011208850001", "1872011501150001", "registered"),
        "same card": ("1872011208850002", "1872011501150001", "not_registered"),
        "not registered": ("1872011208850003", "1872011501150003", "not_registered"),
        "unchecked": ("1872011208850004", "1872011501150004", "unchecked"),
    }
    for name, (nik, kk, status) in people.items():
        Participant.objects.create(
            nik=nik, kk_number=kk, full_name=name.title(), sex="L", birth_place="Metro",
            birth_date=datetime.date(1985, 8, 12), address="Jl. Melati", rt="001", rw="001",
            kelurahan=place, dtks_status=status,
        )  # fmt: skip
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([after])
        new = executor.loader.project_state([after]).apps
        readings = {
            kk: (in_dtsen, desil, source)
            for kk, in_dtsen, desil, source in new.get_model(
                "participants", "HouseholdRank"
            ).objects.values_list("kk_number", "in_dtsen", "desil", "source")
        }
        assert readings == {
            "1872011501150001": (True, None, "dtks"),
            "1872011501150003": (False, None, "dtks"),
        }

        executor = MigrationExecutor(connection)
        executor.migrate([before])
        back = executor.loader.project_state([before]).apps.get_model("participants", "Participant")
        assert dict(back.objects.values_list("full_name", "dtks_status")) == {
            "Registered": "registered",
            "Same Card": "registered",  # the household's reading, for each of its members
            "Not Registered": "not_registered",
            "Unchecked": "unchecked",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
