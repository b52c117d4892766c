"""The visitor's address: one rule for the login lockout, the public form's limits and the logs.

A request that reaches the application straight from a visitor carries the visitor's address as
the connecting address. Behind a reverse proxy (nginx, docs/deploy.md) every request connects from
the proxy, and the visitor's address is the one the proxy writes last into X-Forwarded-For. The
header is believed only when the connection comes from a trusted proxy (DJANGO_TRUSTED_PROXIES),
and only its last DJANGO_PROXY_COUNT entries, which those proxies wrote: whatever a visitor puts
at its start is ignored, and a visitor who connects directly gains nothing by sending it.
"""

import functools
import ipaddress
from collections.abc import Mapping

from django.conf import settings
from python_ipware import IpWare


@functools.cache
def _networks(proxies: tuple) -> tuple:
    """The trusted proxies parsed once (the access log asks on every request)."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def address_from(meta: Mapping) -> str | None:
    """The visitor's address from a request's META or a WSGI environ."""
    connecting = meta.get("REMOTE_ADDR") or None
    if not settings.PROXY_COUNT or connecting is None or not _trusted(connecting):
        return connecting
    # X-Forwarded-For lists the addresses each proxy saw, the nearest proxy's last: with N proxies
    # in front the visitor is the N-th entry from the end (IpWare counts the proxies before it).
    ware = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=settings.PROXY_COUNT - 1)
    found, _trusted_route = ware.get_client_ip(meta, strict=False)
    return str(found) if found is not None else connecting


def client_address(request) -> str | None:
    """The visitor's address for django-axes, django-ratelimit and the application's logs."""
    return address_from(request.META)
