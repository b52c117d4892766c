from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlumsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "slums"
    verbose_name = _("Slum areas")
