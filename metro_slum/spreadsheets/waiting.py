"""Where an uploaded list waits between the preview and the confirmation, and where the list of
its problems waits to be downloaded: in the database (metro_slum.models.WaitingFile).

Any app server can therefore confirm an import previewed on another. A waiting file is known by
a random token only; it is deleted when the import is confirmed or refused, and files of
abandoned imports are removed by `manage.py cleanup_imports`, which can be scheduled.
"""

import secrets
from datetime import timedelta

from django.utils import timezone

from metro_slum.models import WaitingFile


def keep(data: bytes, kind: str = WaitingFile.Kind.UPLOAD) -> str:
    """Keep the bytes and return the token that finds them again."""
    token = secrets.token_hex(16)
    WaitingFile.objects.create(token=token, kind=kind, data=bytes(data))
    return token


def read(token: str | None, kind: str = WaitingFile.Kind.UPLOAD) -> bytes:
    """The kept bytes; FileNotFoundError when gone (imported, refused, expired) or never kept."""
    data = (
        WaitingFile.objects.filter(token=token or "", kind=kind)
        .values_list("data", flat=True)
        .first()
    )
    if data is None:
        raise FileNotFoundError(token)
    return bytes(data)


def take(token: str | None, kind: str = WaitingFile.Kind.UPLOAD) -> bytes:
    """The kept bytes, deleted in the same step: of two confirmations only one gets them."""
    data = read(token, kind)
    if not WaitingFile.objects.filter(token=token, kind=kind).delete()[0]:
        raise FileNotFoundError(token)
    return data


def keep_under(token: str, data: bytes, kind: str) -> None:
    """Keep the bytes under a token of the caller's (replacing what it held)."""
    WaitingFile.objects.update_or_create(token=token, defaults={"kind": kind, "data": bytes(data)})


def remove(token: str | None) -> None:
    WaitingFile.objects.filter(token=token or "").delete()


def remove_older_than(hours: float) -> int:
    cutoff = timezone.now() - timedelta(hours=hours)
    return WaitingFile.objects.filter(created_at__lt=cutoff).delete()[0]
