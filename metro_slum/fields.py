"""Model fields every app's records share."""

from django.conf import settings
from django.db import models


def user_fk(label, related_name="+", *, required=False):
    """Who did something (prepared, uploaded, recorded, downloaded): a user who cannot be deleted
    while their records stand; empty for records brought over from before the system, unless the
    record cannot exist without its user (`required`)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name=related_name,
        verbose_name=label,
    )
