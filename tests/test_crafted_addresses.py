"""Addresses nobody links to, typed or crafted: every admin page that takes an object's id, with an
id that is not a number, is negative or is too large, and every admin autocomplete of every model
and field, answer a page or a 4xx — never a server error."""

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

CRAFTED_IDS = ("x", "-1", "99999999999999999999", "1%00", "1.5")


def admin_patterns(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from admin_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<path:object_id>" in route:
            yield route


@pytest.fixture
def superuser(demo):
    client = Client(raise_request_exception=False)
    client.force_login(demo["admin"])
    return client


def test_every_admin_page_of_an_object_answers_a_crafted_id_without_a_server_error(superuser):
    routes = list(admin_patterns(get_resolver().url_patterns))
    assert len(routes) > 40
    errors = []
    for route in routes:
        for crafted in CRAFTED_IDS:
            url = "/" + route.replace("<path:object_id>", crafted).lstrip("^").rstrip("$")
            status = superuser.get(url).status_code
            if status >= 500:
                errors.append((url, status))
    assert errors == [], "\n".join(map(str, errors))


def test_every_admin_autocomplete_answers_without_a_server_error(superuser):
    errors = []
    asked = 0
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field | models.ForeignObjectRel):
                continue
            query = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field.name,
                "term": "a",
            }
            asked += 1
            status = superuser.get("/admin/autocomplete/", query).status_code
            if status >= 500:
                errors.append((model._meta.label, field.name, status))
    assert asked > 200
    assert errors == [], "\n".join(map(str, errors))
