from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "participants"
    verbose_name = _("Participants and groups")

    def ready(self):
        from participants.roles import sync_role_groups

        # Permissions exist only after post_migrate has run for every app, so the role groups are
        # brought up to date there rather than in a data migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="participants.sync_role_groups")
