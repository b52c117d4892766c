"""Parallel requests on a real PostgreSQL: the ten-member and officer rules hold under races."""

import threading
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from participants import services
from participants.models import Membership
from tests.conftest import fill_group
from tests.factories import GroupFactory, ParticipantFactory

pytestmark = [
    pytest.mark.postgres,
    # Decided before any database set-up: a transactional test that only skips would still
    # empty the database on its way out.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (.ci/run does)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_at_once(calls):
    """Run each call in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except ValidationError as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


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
