from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grants"
    verbose_name = _("Business capital: decisions and money")

    def ready(self):
        from grants import exports  # noqa: F401 - registers its kind of list
