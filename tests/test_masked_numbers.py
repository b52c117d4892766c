"""No full NIK or No. KK reaches anyone who sees them masked, on any page, present or future.

Every admin list, change page and history of every registered model (its first record), every
admin autocomplete, and every portal page a role may open (with the records of both sides of the
URL × role table) is read as each role without the permission to see the numbers in full, and
fails on any identity number of the database found whole in the answer, written as stored
(1872011004850003) or in groups (1872 0110 0485 0003). A page added next year is read here
without anyone adding it.
"""

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from metro_slum.offline import COPY_HEADER
from metro_slum.roles import may_see_full_numbers
from participants.fields import grouped
from participants.identity import mask, mask_in_text
from tests.helpers import first_in_admin
from tests.roles import KWARGS, OWN, TABLE, build_world, portal_urls

# The roles that see numbers masked, as the table of tests/roles.py names them.
MASKED = ("anonymous", "supervisor", "kepala")
ROLE_COLUMNS = ("anonymous", "worker", "worker_foreign", "staff", "supervisor", "superuser")
ROLE_COLUMNS += ("kepala",)
IDENTITY_FIELDS = ("nik", "kk_number")


@pytest.fixture
def world(demo):
    return build_world(demo_loaded=True)


def full_numbers():
    """Every identity number the database holds, in every table (histories included)."""
    numbers = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name in IDENTITY_FIELDS:
                numbers |= set(
                    model._default_manager.exclude(**{field.name: ""}).values_list(
                        field.name, flat=True
                    )
                )
    return {number for number in numbers if len(number) == 16}


def admin_urls(user):
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{name}_changelist")
        first = first_in_admin(model_admin)
        if first is not None:
            yield reverse(f"{name}_change", args=[first.pk])
            yield reverse(f"{name}_history", args=[first.pk])
        for field in getattr(model_admin, "autocomplete_fields", ()):
            query = f"app_label={model._meta.app_label}&model_name={model._meta.model_name}"
            yield f"{reverse('admin:autocomplete')}?{query}&field_name={field}&term="


def portal_pages(role, records):
    column = ROLE_COLUMNS.index(role)
    for _route, name in portal_urls():
        for side, expected in TABLE[name].get("GET", {}).items():
            if expected[column] != 200:
                continue
            kwargs = KWARGS[name](records[side or OWN]) if name in KWARGS else None
            yield reverse(name, kwargs=kwargs)


def found_whole(body, numbers):
    return sorted(mask(number) for number in numbers if number in body or grouped(number) in body)


@pytest.mark.parametrize("role", MASKED)
def test_no_page_shows_a_full_identity_number_to_a_role_that_sees_them_masked(world, role):
    people, records = world
    user = people[role]
    assert user is None or not may_see_full_numbers(user)
    numbers = full_numbers()
    assert len(numbers) > 100  # the demo's participants, ranks, candidates and proposals
    client = Client()
    if user is not None:
        client.force_login(user)
    urls = list(portal_pages(role, records))
    if user is not None and user.is_staff:
        urls += list(admin_urls(user))
    read = 0
    leaks = {}
    for url in dict.fromkeys(urls):
        response = client.get(url)
        assert response.status_code < 500, url
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or response.streaming:
            continue
        if not kind.startswith(("text/", "application/json")):
            continue
        body = response.content.decode()
        if kind.startswith("application/json"):
            body += json.dumps(json.loads(body), ensure_ascii=False)
        read += 1
        if found := found_whole(body, numbers):
            leaks[url] = found[:3]
    assert read >= (5 if user is None else 60), read
    assert leaks == {}, leaks


def test_a_role_that_may_see_the_numbers_reads_them_whole_except_on_a_kept_page(world):
    people, records = world
    candidate = apps.get_model("participants", "Candidate").objects.order_by("pk").first()
    person = records[OWN]["participant"]
    staff, worker = Client(), Client()
    staff.force_login(people["staff"])
    worker.force_login(people["worker"])
    page = staff.get(reverse("admin:participants_candidate_change", args=[candidate.pk]))
    assert candidate.nik in page.content.decode()
    url = reverse("person", kwargs={"pk": person.pk})
    assert person.nik in worker.get(url).content.decode()
    kept = worker.get(url, headers={COPY_HEADER: "1"}).content.decode()
    assert person.nik not in kept and mask(person.nik) in kept


@pytest.mark.parametrize(
    "written, shown",
    [
        ("NIK 1872011004850003.", "NIK 1872**********03."),
        ("No. KK 1872 0110 0485 0003", "No. KK 1872 **** **** **03"),
        ("1872.0110.0485.0003", "1872.****.****.**03"),
        ('<input value="1872011004850003">', '<input value="1872**********03">'),
        # Not identity numbers: a longer run, no province code, money, a phone number.
        ("18720110048500031", "18720110048500031"),
        ("ref 9972011004850003", "ref 9972011004850003"),
        ("Rp 1.000.000.000", "Rp 1.000.000.000"),
        ("0812 3456 7890", "0812 3456 7890"),
        # A map's coordinate: its decimals are no NIK (the kelurahan map broke on them).
        ("[105.3, -5.1126000000000005]", "[105.3, -5.1126000000000005]"),
        ("No.1872011004850003", "No.1872**********03"),
    ],
)
def test_what_a_page_writes_is_masked_only_where_it_is_an_identity_number(written, shown):
    assert mask_in_text(written) == shown
