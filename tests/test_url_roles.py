"""Every URL of the application × every role, against a table kept here.

The URL configuration is walked, so a URL added without a row in the table fails this test. Each
URL is requested as six roles — anonymous, the social worker of Hadimulyo Barat (and Karangrejo),
the social worker of Iringmulyo and Rejomulyo, administrative staff, a supervisor, the
superuser — with the ids of real records of Hadimulyo Barat ("own") and of Iringmulyo or Rejomulyo
("foreign"). No answer may be a server error; every answer must be the one in the table. The same
for POSTs of the forms (sent empty: a wrong role is refused before anything is read).
"""

from http.cookies import SimpleCookie

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse

from metro_slum import figures
from tests.helpers import first_in_admin
from tests.roles import (
    ADMIN_READS,
    ADMIN_ROLES,
    FOREIGN,
    KWARGS,
    OWN,
    ROLES,
    ROLES_WITH_OFFICER,
    TABLE,
    build_world,
    portal_urls,
)


@pytest.fixture
def world(demo):
    return build_world(demo_loaded=True)


def logged_in(person):
    """A client of its own for one role (anonymous: None), logged in once."""
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def request_as(client, method, url):
    """One request, its effects rolled back and the client's cookies kept as they were (a page
    that logs out or starts a new session), so that every request meets the same data."""
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    client.cookies = SimpleCookie(cookies)
    return response.status_code


def test_every_portal_url_is_in_the_table():
    names = {name for _route, name in portal_urls()}
    assert names - set(TABLE) == set(), "add the new URL to TABLE with who may open it"
    assert set(TABLE) - names == set()


@pytest.mark.parametrize("role", ROLES_WITH_OFFICER)
def test_every_portal_url_answers_each_role_as_the_table_says(role, world):
    people, records = world
    client = logged_in(people[role])
    mismatches, asked = [], set()
    for _route, name in portal_urls():
        for method, sides in TABLE[name].items():
            for side, expected in sides.items():
                roles = ROLES if len(expected) == len(ROLES) else ROLES_WITH_OFFICER
                if role not in roles:
                    continue
                kwargs = KWARGS[name](records[side or OWN]) if name in KWARGS else None
                got = request_as(client, method, reverse(name, kwargs=kwargs))
                asked.add(name)
                assert got < 500, (name, method, side, got)
                if got != (wanted := expected[roles.index(role)]):
                    mismatches.append((name, method, side, wanted, got))
    assert mismatches == []
    # This role asked for every URL of the table (the officer: those with a column for it).
    assert asked == {
        name
        for name, methods in TABLE.items()
        if role != "officer"
        or any(len(e) == len(ROLES_WITH_OFFICER) for s in methods.values() for e in s.values())
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_by_its_permissions(role, world):
    people, _records = world
    registry = admin.site._registry
    labels = {model._meta.label_lower for model in registry}
    assert labels == set(ADMIN_READS), "add the new admin model to ADMIN_READS"
    user = people[role]
    client = logged_in(user)
    for model, model_admin in registry.items():
        label = model._meta.label_lower
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        first = first_in_admin(model_admin)
        urls = {"changelist": reverse(f"{name}_changelist"), "add": reverse(f"{name}_add")}
        if first is not None:
            urls["change"] = reverse(f"{name}_change", args=[first.pk])
            urls["history"] = reverse(f"{name}_history", args=[first.pk])
        for view, url in urls.items():
            status = request_as(client, "GET", url)
            assert status < 500, (label, view, role)
            if user is None or not user.is_staff:
                assert status == 302, (label, view, role, status)
                continue
            reads = user.is_superuser or ADMIN_READS[label][ADMIN_ROLES.index(role)]
            if view in ("changelist", "change", "history"):
                assert (status == 200) == reads, (label, view, role, status)
            if view == "add" and not reads:
                assert status == 403, (label, view, role, status)


def test_the_head_of_office_is_offered_no_step_and_no_export_in_admin(client, world):
    people, _records = world
    client.force_login(people["kepala"])
    for url in (
        reverse("admin:grants_grant_changelist"),
        reverse("admin:participants_participant_changelist"),
        reverse("admin:participants_participantgroup_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        # No action at all: Django admin then shows no action bar.
        assert response.context["action_form"] is None, url
    client.force_login(people["supervisor"])
    response = client.get(reverse("admin:grants_grant_changelist"))
    offered = {value for value, _label in response.context["action_form"].fields["action"].choices}
    assert {"approve_selected", "reject_selected", "export_xlsx"} <= offered


def test_a_family_card_shared_across_kelurahan_shows_each_worker_only_their_side(client, world):
    """The own side's member takes the family-card number of the foreign side's member: every
    portal page about the own member, for each role that may open it, names the foreign member
    only for those who see every kelurahan."""
    people, records = world
    own, foreign = records[OWN]["participant"], records[FOREIGN]["participant"]
    type(own).objects.filter(pk=own.pk).update(kk_number=foreign.kk_number)
    figures.changed(households={own.kk_number, foreign.kk_number})
    for name in ("person", "families:family_card"):
        url = reverse(name, kwargs=KWARGS[name](records[OWN]))
        for role in ("worker", "staff", "supervisor", "superuser", "kepala"):
            client.force_login(people[role])
            html = client.get(url).content.decode()
            assert own.full_name in html, (name, role)
            sees_all = people[role].has_perm("participants.view_all_kelurahan")
            assert (foreign.full_name in html) == sees_all, (name, role)


def test_the_head_of_office_reads_a_grants_documents_list_without_opening_a_file(client, world):
    people, records = world
    url = reverse("grants:grant", kwargs=KWARGS["grants:grant"](records[OWN]))
    document = records[OWN]["document"]
    opened = reverse("grants:document", args=[document.pk])
    client.force_login(people["kepala"])
    html = client.get(url).content.decode()
    assert document.original_name in html and opened not in html
    client.force_login(people["supervisor"])
    assert opened in client.get(url).content.decode()
