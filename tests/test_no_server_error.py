"""Every page of the portal and the admin, as every role, on the demo: never a server error.

Each kind of page is asked once per state its record can be in (a group at each stage, a survey
in each status, a tranche of a grant in each status, an RT with and without a survey), not once
per record: two records in the same state answer through the same code."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from grants.models import Disbursement
from participants.models import RT, Kelurahan, Participant, ParticipantGroup
from programme import queue
from programme.selectors import group_rows, with_stages
from slums.models import Survey
from tests.helpers import first_in_admin

pytestmark = pytest.mark.django_db

ROLES = ("admin", "supervisor", "staf", "pekerja")


def portal_urls():
    urls = [
        reverse("home"),
        reverse("programme:dashboard"),
        reverse("programme:reports"),
        reverse("participants:participant_list"),
        reverse("participants:export"),
    ]
    urls += [reverse("programme:work") + f"?perlu={item.key}" for item in queue.ITEMS]
    urls += [reverse("programme:report", args=[key]) for key in ("rekap", "penerima", "pemantauan")]
    for group in one_of_each(with_stages(group_rows()), lambda row: row.stage.key):
        urls += [
            reverse("group", args=[group.pk]),
            reverse("assessments:assessment", args=[group.pk]),
            reverse("assessments:plan", args=[group.pk]),
            reverse("grants:grant", args=[group.pk]),
        ]
    urls += [
        reverse("programme:kelurahan", args=[k.code]) for k in Kelurahan.objects.program_areas()
    ]
    tranches = Disbursement.objects.select_related("grant").order_by("pk")
    urls += [
        reverse("grants:handover", args=[d.pk])
        for d in one_of_each(tranches, lambda d: d.grant.status)
    ]
    outside = Participant.objects.filter(memberships__isnull=True).order_by("pk").first()
    urls += [reverse("person", args=[outside.pk])]
    urls += [reverse("slums:index"), reverse("slums:report"), reverse("slums:boundaries")]
    urls += [reverse("slums:place", args=[k.code]) for k in Kelurahan.objects.program_areas()]
    rts = RT.objects.order_by("pk")
    urls += [
        reverse("slums:rt", args=[rt.pk]) for rt in one_of_each(rts, lambda rt: rt.surveys.exists())
    ]
    for survey in one_of_each(Survey.objects.order_by("pk"), lambda survey: survey.status):
        urls += [
            reverse("slums:survey", args=[survey.pk]),
            reverse("slums:survey_totals", args=[survey.pk]),
            reverse("slums:answer", args=[survey.pk, "1a"]),
            reverse("slums:answer", args=[survey.pk, "9z"]),
        ]
    return urls


def one_of_each(records, state):
    """The first record in each state."""
    firsts = {}
    for record in records:
        firsts.setdefault(state(record), record)
    return list(firsts.values())


ODD = ("x", "-1", "0", "99999999999999999999999", "1e3", "%00", "ǅ", "1 OR 1=1")


def odd_query_urls():
    """The pages that read their query string, each parameter given odd values."""
    group = ParticipantGroup.objects.order_by("pk").first()
    pages = {
        reverse("participants:member_add", args=[group.pk]): ("peserta",),
        reverse("participants:participant_create"): ("kelompok",),
        reverse("participants:export"): ("program", "kecamatan", "kelurahan", "group"),
        reverse("participants:participant_list"): ("halaman",),
        reverse("programme:dashboard"): ("program",),
        reverse("programme:work"): ("perlu",),
        reverse("programme:report", args=["pemantauan"]): ("dari", "sampai"),
        reverse("slums:index"): ("perlu",),
        reverse("slums:report"): ("kelurahan",),
    }
    return [
        f"{url}?{name}={value}" for url, names in pages.items() for name in names for value in ODD
    ]


def admin_urls():
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = first_in_admin(model_admin)
        if first is not None:
            urls.append(reverse(f"{name}_change", args=[first.pk]))
            urls.append(reverse(f"{name}_history", args=[first.pk]))
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_without_a_server_error(client, demo, role):
    client.force_login(get_user_model().objects.get(username=role))
    for url in portal_urls() + admin_urls():
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (role, url, response.status_code)


def test_odd_codes_in_the_address_get_a_not_found(client, demo):
    client.force_login(get_user_model().objects.get(username="supervisor"))
    for base in ("/kumuh/", "/kelurahan/"):
        for code in ("%00", "1872011004%00", "x" * 300, "99999999999999999999999"):
            assert client.get(f"{base}{code}/").status_code == 404, (base, code)


@pytest.mark.parametrize("role", ROLES)
def test_odd_query_strings_get_a_page_not_an_error(client, demo, role):
    client.force_login(get_user_model().objects.get(username=role))
    for url in odd_query_urls():
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 403, 404), (role, url, response.status_code)
