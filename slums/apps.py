from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _rescore(sender, **kwargs):
    from slums.services import rescore_if_method_changed

    rescore_if_method_changed()


class SlumsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "slums"
    verbose_name = _("Slum areas")

    def ready(self):
        # A migration that changes the method (units, bands) has every survey scored again.
        post_migrate.connect(_rescore, sender=self, dispatch_uid="slums.rescore")
