"""Addresses printed or sent outside the office: the office's public address before the path."""

from django.conf import settings
from django.urls import reverse


def public_url(path: str, request=None) -> str:
    """The address people outside the office type: DJANGO_PUBLIC_SITE_URL + path, or the
    address the page was opened at, or the bare path."""
    if settings.PUBLIC_SITE_URL:
        return settings.PUBLIC_SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path


def complaint_page(request=None) -> str:
    """Where anyone complains (a cut, a fee asked, aid not received)."""
    return public_url(reverse("complaints:public"), request)
