"""A household's DTSEN rank: readings kept with their as-of date and source, seen in the office's
periods, the latest one shown
on the person's page, the group page, the family record and the admin list, stale ones marked;
the typed DTKS status of an older database becomes the first reading, and back."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from participants import ranks
from participants.models import DtsenSetting, HouseholdRank
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
SHOWN = f"per {TODAY:%d/%m/%Y}"


def record(kk_number, as_of=TODAY, source=HouseholdRank.Source.DTSEN_IMPORT, **fields):
    return ranks.rank_record(kk_number=kk_number, as_of=as_of, source=source, by=None, **fields)


def test_the_latest_reading_is_the_households_rank_and_the_earlier_ones_are_kept(
    worker_client, full_group
):
    chair = full_group.memberships.get(role="chair").participant
    HouseholdRank.objects.filter(kk_number=chair.kk_number).delete()  # the factory's reading
    others = full_group.memberships.exclude(participant=chair).values("participant__kk_number")
    HouseholdRank.objects.filter(kk_number__in=others).delete()
    record(chair.kk_number, datetime.date(2025, 11, 30), desil=3)
    record(chair.kk_number, TODAY, desil=1, source=HouseholdRank.Source.FIELD)

    assert ranks.latest_rank(chair.kk_number).desil == 1
    assert HouseholdRank.objects.filter(kk_number=chair.kk_number).count() == 2

    page = worker_client.get(reverse("person", args=[chair.pk])).content.decode()
    assert f"Desil 1 ({SHOWN})" in page
    assert "Verifikasi lapangan" in page
    assert "Desil 3 (per 30/11/2025) · Daftar DTSEN" in page  # among the earlier readings

    group_page = worker_client.get(reverse("group", args=[full_group.pk])).content.decode()
    assert group_page.count(f"Desil 1 ({SHOWN})") == 1
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


def test_a_stale_reading_asks_for_re_checking(worker_client):
    person = ParticipantFactory(rank=False)
    old = record(person.kk_number, datetime.date(2024, 2, 10), desil=2)

    assert old.stale
    page = worker_client.get(reverse("person", args=[person.pk])).text
    assert "Desil 2 (per 10/02/2024)" in page
    assert "sudah lama: periksa ulang" in page


def test_the_office_sets_the_cycle_and_how_long_a_reading_counts(worker_client):
    """Forty days old: current in a quarterly cycle (this quarter's or the last one's), stale
    once the office reads DTSEN monthly and counts only this month's."""
    person = ParticipantFactory(rank=False)
    reading = record(person.kk_number, TODAY - datetime.timedelta(days=40), desil=2)
    card = reverse("families:family_card", args=[person.pk])
    quarter = f"{reading.as_of.year}-Q{(reading.as_of.month - 1) // 3 + 1}"
    assert not reading.stale
    assert quarter in worker_client.get(card).text

    setting = DtsenSetting.get_solo()
    setting.cycle_months, setting.current_cycles = DtsenSetting.Cycle.MONTHLY, 1
    setting.save()
    assert reading.stale
    page = worker_client.get(card).text
    assert f"{reading.as_of:%Y-%m}" in page and quarter not in page
    assert "sudah lama: periksa ulang" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"desil": 11}, "Desil adalah bilangan bulat 1 sampai 10."),
        ({"desil": 0}, "Desil adalah bilangan bulat 1 sampai 10."),
        ({"desil": 2, "in_dtsen": False}, "tidak punya desil"),
        ({"desil": 2, "as_of": TODAY + datetime.timedelta(days=1)}, "di masa depan"),
    ],
)
def test_a_reading_that_cannot_be_is_refused_and_nothing_is_written(fields, message):
    person = ParticipantFactory(rank=False)
    with pytest.raises(ValidationError) as refused:
        record(person.kk_number, **fields)
    assert message in " ".join(refused.value.messages)
    assert not HouseholdRank.objects.exists()


def test_the_family_record_lists_the_households_readings(worker_client, full_group):
    chair = full_group.memberships.get(role="chair").participant
    HouseholdRank.objects.filter(kk_number=chair.kk_number).delete()  # the factory's reading
    record(chair.kk_number, datetime.date(2026, 2, 1), desil=2)
    record(
        chair.kk_number, datetime.date(2026, 5, 20), desil=4, source=HouseholdRank.Source.SIKS_NG
    )

    page = worker_client.get(reverse("families:family_card", args=[chair.pk])).text
    assert 'id="card-ranks"' in page
    assert "Desil 4 (per 20/05/2026)" in page
    assert '20/05/2026 <small class="text-muted">2026-Q2</small>' in page
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
    assert f"Desil 1 ({SHOWN})" in page and f"Desil 7 ({SHOWN})" in page

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


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readings_kept_by_quarter_become_dated_and_proposed_ranks_become_data_and_back():
    before = ("participants", "0027_pre_screen_label")
    after = ("participants", "0028_dtsen_as_of_and_data_changes")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps
        old.get_model("participants", "HouseholdRank").objects.create(
            kk_number="1872011501150001", desil=2, quarter="2026-Q3", source="dtsen_import"
        )
        User = old.get_model("auth", "User")
        clerk = User.objects.create(username="clerk-0028")
        batch = old.get_model("participants", "ProposalBatch").objects.create(
            kelurahan=old.get_model("participants", "Kelurahan").objects.get(code="1872011004"),
            deliberated_on=datetime.date(2026, 8, 5), place="Balai", chaired_by="Lurah",
            status="answered", sent_on=datetime.date(2026, 8, 20), answered_quarter="2026-Q4",
            created_by=clerk,
        )  # fmt: skip
        old.get_model("participants", "Proposal").objects.create(
            batch=batch, kind="correction", nik="1872011208850001", kk_number="1872011501150001",
            full_name="Warga", address="Jl. Melati", rt="001", rw="001", proposed_desil=1,
            reason="Penghasilan turun.", status="accepted", answered_quarter="2026-Q4",
            created_by=clerk,
        )  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate([after])
        new = executor.loader.project_state([after]).apps
        reading = new.get_model("participants", "HouseholdRank").objects.get()
        assert reading.as_of == datetime.date(2026, 7, 1)  # the quarter's first day
        proposal = new.get_model("participants", "Proposal").objects.get()
        assert proposal.changes == {} and proposal.status == "accepted"
        assert proposal.answered_as_of == datetime.date(2026, 10, 1)
        assert "perbaikan desil, desil 1 diusulkan" in proposal.reason
        assert new.get_model("participants", "ProposalBatch").objects.get().basis == "musyawarah"

        executor = MigrationExecutor(connection)
        executor.migrate([before])
        back = executor.loader.project_state([before]).apps
        assert back.get_model("participants", "HouseholdRank").objects.get().quarter == "2026-Q3"
        assert back.get_model("participants", "Proposal").objects.get().answered_quarter == (
            "2026-Q4"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
