"""The demo loader on an empty database: the accounts it prints and their password, its refusal
on the office's server, an account that exists already left as it was."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from participants.models import Program

pytestmark = pytest.mark.django_db


def log_in(username):
    # django-axes checks every login against its lockouts, so it needs the request.
    request = RequestFactory().post("/masuk/")
    return authenticate(request=request, username=username, password="metro-demo")


def load_demo():
    out = StringIO()
    call_command("load_demo", "--allow-without-debug", stdout=out)
    return out.getvalue()


def test_demo_accounts_log_in_with_the_demo_password_and_are_printed(demo_loaded):
    output = demo_loaded

    assert "metro-demo" in output
    for username in ("admin", "supervisor", "staf", "pekerja"):
        assert username in output
        assert log_in(username) is not None

    social_worker = log_in("pekerja")
    assigned = set(social_worker.kelurahan_assignments.values_list("kelurahan__name", flat=True))
    assert assigned == {"Hadimulyo Barat", "Karangrejo"}
    assert social_worker.has_perm("participants.add_participant")
    assert log_in("admin").is_superuser


def test_load_demo_refuses_without_debug_and_loads_nothing():
    with pytest.raises(CommandError) as caught:
        call_command("load_demo", stdout=StringIO())
    assert "DEBUG mati" in str(caught.value)
    assert not Program.objects.exists()
    assert not get_user_model().objects.filter(username="admin").exists()


def test_load_demo_never_resets_an_existing_accounts_password():
    get_user_model().objects.create_user("admin", password="kata-sandi-kantor-yang-kuat")
    output = load_demo()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("kata-sandi-kantor-yang-kuat")
    assert not admin.is_superuser
    assert "admin        superuser (sudah ada: dibiarkan apa adanya" in output
    assert get_user_model().objects.get(username="kepala").groups.get().name == "Kepala Dinas"
