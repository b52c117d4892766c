from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """Pages that read every stage: home, work queue, dashboard, kelurahan history, reports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "programme"
    verbose_name = _("Programme overview")

    def ready(self):
        from programme import privacy, reports  # noqa: F401 - register their kinds of list
