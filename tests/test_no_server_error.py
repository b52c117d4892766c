"""Every page of the portal and the admin, as every role, on the demo: never a server error."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from grants.models import Disbursement
from participants.models import Kelurahan, ParticipantGroup
from programme import queue

pytestmark = pytest.mark.django_db

ROLES = ("admin", "supervisor", "staf", "pekerja")


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def portal_urls():
    urls = [
        reverse("programme:home"),
        reverse("programme:dashboard"),
        reverse("programme:reports"),
        reverse("participants:participant_list"),
        reverse("participants:export"),
    ]
    urls += [reverse("programme:work") + f"?perlu={item.key}" for item in queue.ITEMS]
    urls += [reverse("programme:report", args=[key]) for key in ("rekap", "penerima", "pemantauan")]
    for group in ParticipantGroup.objects.all():
        urls += [
            reverse("programme:group", args=[group.pk]),
            reverse("assessments:assessment", args=[group.pk]),
            reverse("assessments:plan", args=[group.pk]),
            reverse("grants:grant", args=[group.pk]),
        ]
    urls += [
        reverse("programme:kelurahan", args=[k.code]) for k in Kelurahan.objects.program_areas()
    ]
    urls += [reverse("grants:handover", args=[d.pk]) for d in Disbursement.objects.all()]
    return urls


def admin_urls():
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model_admin.get_queryset(None).order_by("pk").first()
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
