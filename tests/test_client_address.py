"""The one rule for the visitor's address (metro_slum/client.py), read from request headers."""

import pytest
from django.test import RequestFactory

from metro_slum.client import client_address


@pytest.fixture
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.8.0.0/16"]


def asked(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


def test_without_proxies_the_header_is_never_read(settings):
    settings.PROXY_COUNT = 0
    assert asked("127.0.0.1", "203.0.113.5") == "127.0.0.1"


def test_from_a_trusted_proxy_the_address_it_wrote_last_is_the_visitor(behind_one_proxy):
    assert asked("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert asked("10.8.3.4", "198.51.100.1, 203.0.113.5") == "203.0.113.5"
    assert asked("127.0.0.1", "2001:db8::7") == "2001:db8::7"


def test_from_anywhere_else_the_header_is_ignored(behind_one_proxy):
    assert asked("192.0.2.44", "203.0.113.5") == "192.0.2.44"


def test_a_proxy_that_wrote_nothing_usable_leaves_the_connecting_address(behind_one_proxy):
    assert asked("127.0.0.1") == "127.0.0.1"
    assert asked("127.0.0.1", "bukan-alamat") == "127.0.0.1"


def test_with_two_proxies_the_second_entry_from_the_end_is_the_visitor(settings):
    settings.PROXY_COUNT = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    forged_then_visitor_then_balancer = "6.6.6.6, 203.0.113.5, 10.0.0.2"
    assert asked("127.0.0.1", forged_then_visitor_then_balancer) == "203.0.113.5"


def test_a_wrong_trusted_proxy_setting_stops_the_start(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import metro_slum.settings

    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "127.0.0.1,nginx.lokal")
    with pytest.raises(ImproperlyConfigured, match="nginx.lokal"):
        importlib.reload(metro_slum.settings)
    monkeypatch.delenv("DJANGO_TRUSTED_PROXIES")
    importlib.reload(metro_slum.settings)
