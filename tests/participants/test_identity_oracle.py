"""A user who sees masked numbers learns nothing about a NIK or No. KK from any answer."""

import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:participants_participant_changelist"
WRONG_NIK = "1872011208859999"


def answer(client, url, params):
    response = client.get(url, params)
    rows = (
        len(response.context["cl"].result_list)
        if response.status_code == 200 and response.context and "cl" in response.context
        else None
    )
    return response.status_code, rows


@pytest.fixture
def person(db):
    return ParticipantFactory()


@pytest.mark.parametrize(
    "lookup",
    ["nik", "nik__exact", "nik__startswith", "nik__regex", "kk_number__startswith", "nik__gt"],
)
def test_url_lookups_on_identity_numbers_answer_the_same_for_right_and_wrong(
    client, supervisor, person, lookup
):
    client.force_login(supervisor)
    url = reverse(CHANGELIST)
    value = person.nik if lookup.startswith("nik") else person.kk_number
    right = answer(client, url, {"id__exact": person.pk, lookup: value[:8]})
    wrong = answer(client, url, {"id__exact": person.pk, lookup: "99999999"})
    assert right == wrong
    assert right[0] == 400


def test_search_by_number_finds_nobody_for_masked_users_and_by_name_still_works(
    client, supervisor, person
):
    client.force_login(supervisor)
    url = reverse(CHANGELIST)
    assert answer(client, url, {"q": person.nik}) == answer(client, url, {"q": WRONG_NIK})
    assert answer(client, url, {"q": person.nik}) == (200, 0)
    assert answer(client, url, {"q": person.full_name}) == (200, 1)
    memberships = reverse("admin:participants_membership_changelist")
    assert client.get(memberships, {"q": person.nik}).status_code == 200


def test_staff_who_see_numbers_still_search_by_nik(client, admin_staff, person):
    client.force_login(admin_staff)
    spaced = " ".join(person.nik[i : i + 4] for i in range(0, 16, 4))
    assert answer(client, reverse(CHANGELIST), {"q": spaced}) == (200, 1)
    assert answer(client, reverse(CHANGELIST), {"nik__startswith": person.nik[:8]})[0] == 200


def test_autocomplete_does_not_answer_a_number(client, superuser, supervisor, person):
    client.force_login(supervisor)
    url = reverse("admin:autocomplete")
    params = {"app_label": "participants", "model_name": "membership", "field_name": "participant"}
    right = client.get(url, {**params, "term": person.nik})
    wrong = client.get(url, {**params, "term": WRONG_NIK})
    assert right.status_code == wrong.status_code
    if right.status_code == 200:
        assert right.json()["results"] == wrong.json()["results"] == []


def test_portal_search_by_number_is_for_those_who_see_numbers(client, supervisor, person):
    client.force_login(supervisor)
    url = reverse("participants:participant_list")
    right = client.post(url, {"q": person.nik}).context["results"]
    wrong = client.post(url, {"q": WRONG_NIK}).context["results"]
    assert right == wrong == []
    assert client.post(url, {"q": person.full_name}).context["results"] == [person]


def test_the_import_preview_is_only_for_those_who_see_numbers(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("admin:participants_participant_import"))
    assert response.status_code == 403
