"""A family card shared across kelurahan: a social worker sees only the members in their own.

One household's members can be registered in different kelurahan (a move, a mistake, a shared
card). Its aid, follow-ups and grant money stay with the kelurahan of the member they belong to.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from families import services
from families.models import AidKind, FollowUp
from participants import services as participant_services
from participants.models import Kelurahan, Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
PKH = "PKH (bantuan tunai bersyarat)"


@pytest.fixture
def shared_card(demo):
    """The demo, and a new person in Hadimulyo Barat with the card of a Rejomulyo household whose
    members are in the pilot's funded vegetable group and, now, in Iringmulyo with a follow-up."""
    users = demo
    rejomulyo = Participant.objects.get(
        memberships__group__name="Kelompok Sayur Rejo Lestari", memberships__role="chair"
    )
    services.aid_record(
        by=users["staf"],
        participant=rejomulyo,
        kind=AidKind.objects.get(name=PKH),
        received_on=datetime.date(2026, 10, 1),
        value=Decimal(777_000),
        source="Kemensos",
    )
    followed = FollowUp.objects.filter(
        group__kelurahan__code="1872041003", participant__isnull=False
    ).first()
    followed.participant.kk_number = rejomulyo.kk_number
    participant_services.participant_save(participant=followed.participant, by=users["staf"])
    newcomer = ParticipantFactory(
        kelurahan=Kelurahan.objects.get(code="1872011004"),
        kk_number=rejomulyo.kk_number,
        full_name="Warga Baru Hadimulyo",
    )
    return users, newcomer, rejomulyo, followed


def foreign_traces(rejomulyo, followed):
    return [
        rejomulyo.full_name,
        "Rp 777.000",
        "Kelompok Sayur Rejo Lestari",
        followed.participant.full_name,
        followed.need,
    ]


def test_the_social_worker_sees_nothing_of_the_household_in_other_kelurahan(client, shared_card):
    users, newcomer, rejomulyo, followed = shared_card
    client.force_login(users["pekerja"])
    for url in (
        reverse("person", args=[newcomer.pk]),
        reverse("families:family_card", args=[newcomer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert newcomer.full_name in html
        for trace in foreign_traces(rejomulyo, followed):
            assert trace not in html, (url, trace)
    # The real people's own pages stay closed to this worker.
    for person in (rejomulyo, followed.participant):
        url = reverse("person", args=[person.pk])
        assert client.get(url).status_code == 403


def test_a_supervisor_sees_the_whole_household(client, shared_card):
    users, newcomer, rejomulyo, followed = shared_card
    client.force_login(users["supervisor"])
    html = client.get(reverse("families:family_card", args=[newcomer.pk])).content.decode()
    for trace in foreign_traces(rejomulyo, followed):
        assert trace in html, trace


def test_a_double_in_another_kelurahan_is_flagged_without_naming_the_person(client, shared_card):
    users, newcomer, rejomulyo, followed = shared_card
    client.force_login(users["pekerja"])
    # The worker may record aid for people of their own kelurahan (aid_add is staff's): a
    # possible double is still found across the household, but told without the person.
    doubles = services.aid_doubles(
        participant=newcomer,
        kind=AidKind.objects.get(name=PKH),
        received_on=datetime.date(2026, 10, 15),
        by=users["pekerja"],
    )
    assert [(d.received_on, d.recipient, d.value) for d in doubles] == [
        (datetime.date(2026, 10, 1), "anggota keluarga di kelurahan lain", None)
    ]
    message = services.double_message(AidKind.objects.get(name=PKH), doubles)
    assert rejomulyo.full_name not in message
    assert "777.000" not in message
