"""What keeps the admin lists fast at a province's size: no whole-table count per page, searches
and orders that an index serves, filters that do not list every group of the city."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metro_slum.admin import EstimatedCountPaginator
from tests.factories import GroupFactory, ParticipantFactory, ProgramFactory
from tests.participants.test_admin import make_participants

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("session_refresh_off")]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner and indexes"
)
PEOPLE = "admin:participants_participant_changelist"


@postgresql_only
def test_the_indexes_the_lists_rely_on_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'participants_%'")
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert "pg_trgm" in extensions
    assert {
        "participant_name_trgm",
        "participant_name_order",
        "participants_group_complete",
        "participant_family_card",
        "participant_place_name",
        "membership_group_order",
    } <= names


@postgresql_only
def test_a_big_list_takes_its_size_from_the_planner_not_a_count(client, admin_staff, monkeypatch):
    make_participants(30)
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 5)  # "big" from the 5th row
    client.force_login(admin_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(PEOPLE))
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]
    assert counts and all("LIMIT 5" in sql for sql in counts)  # never the whole table
    assert response.context["cl"].result_count >= 5


def test_a_small_list_is_counted_exactly(client, admin_staff):
    make_participants(12)
    client.force_login(admin_staff)
    response = client.get(reverse(PEOPLE))
    assert response.context["cl"].result_count == 12


def test_a_nik_search_reads_the_nik_alone(client, admin_staff):
    wanted = ParticipantFactory()
    ParticipantFactory.create_batch(3)
    client.force_login(admin_staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(PEOPLE), {"q": wanted.nik})
    assert list(response.context["cl"].result_list) == [wanted]
    listing = [q["sql"] for q in queries if 'FROM "participants_participant"' in q["sql"]]
    assert listing and not any("LIKE" in sql for sql in listing)


def test_the_group_filter_offers_the_groups_of_the_chosen_kelurahan_only(
    client, admin_staff, hadimulyo_barat, karangrejo
):
    program = ProgramFactory()
    here = GroupFactory(program=program, kelurahan=hadimulyo_barat, name="Kelompok Di Sini")
    also = GroupFactory(program=program, kelurahan=hadimulyo_barat, name="Kelompok Juga Di Sini")
    GroupFactory(program=program, kelurahan=karangrejo, name="Kelompok Di Sana")
    client.force_login(admin_staff)
    everywhere = client.get(reverse(PEOPLE)).content.decode()
    assert "Kelompok Di Sini" not in everywhere and "Kelompok Di Sana" not in everywhere
    chosen = client.get(reverse(PEOPLE), {"kelurahan__id__exact": hadimulyo_barat.pk})
    html = chosen.content.decode()
    assert f"memberships__group__id__exact={here.pk}" in html
    assert f"memberships__group__id__exact={also.pk}" in html
    assert "Kelompok Di Sana" not in html


@pytest.mark.parametrize(
    "query",
    [{"q": "Peserta"}, {"q": "1872011208850001"}, {"kelurahan__id__exact": "1"}, {"p": "2"}],
    ids=["name", "nik", "kelurahan", "page 2"],
)
def test_searched_and_filtered_lists_ask_as_often_for_10_and_200_people(client, admin_staff, query):
    client.force_login(admin_staff)
    make_participants(60)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(PEOPLE), query)
    make_participants(150)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(PEOPLE), query)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_complete_groups_are_counted_in_the_database_by_the_same_rule(hadimulyo_barat):
    from participants.models import ParticipantGroup
    from participants.selectors import complete_groups_count, group_is_complete, group_list
    from tests.conftest import fill_group

    program = ProgramFactory()
    full = GroupFactory(program=program, kelurahan=hadimulyo_barat)
    fill_group(full, 10)
    partial = GroupFactory(program=program, kelurahan=hadimulyo_barat)
    fill_group(partial, 9)
    no_officers = GroupFactory(program=program, kelurahan=hadimulyo_barat)
    fill_group(no_officers, 2)  # a chair and a secretary only
    groups = ParticipantGroup.objects.filter(program=program)
    by_rule = [group for group in group_list().filter(program=program) if group_is_complete(group)]
    assert [group.pk for group in by_rule] == [full.pk]
    assert complete_groups_count(groups) == 1


def summary(group):
    group.refresh_from_db()
    return group.roster_size, group.roster_complete


def test_the_roster_summary_follows_every_change_of_the_members(hadimulyo_barat):
    """The dashboard counts complete groups and members from each group's summary: after every
    kind of change it says what the memberships say, by the same rule as the group's page."""
    from django.core.exceptions import ValidationError

    from participants import services
    from participants.models import Membership
    from participants.selectors import group_is_complete, group_list
    from tests.conftest import fill_group

    group = GroupFactory(kelurahan=hadimulyo_barat)
    assert summary(group) == (0, False)
    members = fill_group(group, 9)
    assert summary(group) == (9, False)
    fill_group(group, 1)
    assert summary(group) == (10, True)
    assert group_is_complete(group_list().get(pk=group.pk))

    with pytest.raises(ValidationError):  # an 11th member is refused: nothing changes
        fill_group(group, 1)
    assert summary(group) == (10, True)

    chair, secretary = members[0], members[1]
    services.group_roster_update(  # the chair and the secretary swap roles
        group=group,
        change=[
            services.MemberChange(chair, Membership.Role.SEKRETARIS),
            services.MemberChange(secretary, Membership.Role.KETUA),
        ],
    )
    assert summary(group) == (10, True)
    services.group_roster_update(
        group=group, change=[services.MemberChange(secretary, Membership.Role.ANGGOTA)]
    )
    assert summary(group) == (10, False)  # no chair any more
    assert not group_is_complete(group_list().get(pk=group.pk))

    services.membership_remove(membership=members[5])
    assert summary(group) == (9, False)
    services.membership_add(group=group, participant=ParticipantFactory(kelurahan=hadimulyo_barat))
    assert summary(group) == (10, False)
