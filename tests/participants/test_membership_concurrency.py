"""Parallel requests on a real PostgreSQL: the ten-member and officer rules hold under races."""

from functools import partial

from django.core.exceptions import ValidationError

from participants import services
from participants.models import Membership, Participant
from tests.concurrency import postgres_only, run_at_once
from tests.conftest import fill_group
from tests.factories import GroupFactory, ParticipantFactory, participant_fields

pytestmark = postgres_only


def test_two_people_added_to_a_group_of_nine_at_once_leave_it_at_ten():
    # Several rounds: one lucky ordering must not hide a race.
    for _ in range(5):
        group = GroupFactory()
        fill_group(group, 9)
        newcomers = [ParticipantFactory(kelurahan=group.kelurahan) for _ in range(2)]

        outcomes = run_at_once(
            [partial(services.membership_add, group=group, participant=p) for p in newcomers]
        )

        refused = [o for o in outcomes if isinstance(o, ValidationError)]
        assert group.memberships.count() == 10
        assert len(refused) == 1
        assert refused[0].error_list[0].code == "group_full"


def test_two_chairs_named_at_once_leave_one_chair():
    for _ in range(5):
        group = GroupFactory()
        candidates = [ParticipantFactory(kelurahan=group.kelurahan) for _ in range(2)]

        outcomes = run_at_once(
            [
                partial(
                    services.membership_add,
                    group=group,
                    participant=p,
                    role=Membership.Role.KETUA,
                )
                for p in candidates
            ]
        )

        assert group.memberships.filter(role=Membership.Role.KETUA).count() == 1
        assert sum(isinstance(o, ValidationError) for o in outcomes) == 1


def test_one_person_added_to_two_groups_at_once_joins_one():
    for _ in range(5):
        first = GroupFactory()
        second = GroupFactory(program=first.program, kelurahan=first.kelurahan)
        person = ParticipantFactory(kelurahan=first.kelurahan)

        outcomes = run_at_once(
            [partial(services.membership_add, group=g, participant=person) for g in (first, second)]
        )

        assert person.memberships.count() == 1
        (refusal,) = [o for o in outcomes if isinstance(o, ValidationError)]
        assert refusal.error_list[0].code in {"concurrent_change", "member_in_other_group"}


def test_two_registrations_of_one_nik_at_once_make_one_participant_and_a_message(hadimulyo_barat):
    outcomes = run_at_once(
        [partial(services.participant_create, **participant_fields(hadimulyo_barat))] * 2
    )
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1
    assert refused[0].message_dict["nik"][0].startswith("Peserta dengan NIK ini sudah terdaftar.")
    assert Participant.objects.count() == 1
