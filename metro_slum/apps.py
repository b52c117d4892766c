from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MetroSlumConfig(AppConfig):
    """The project's shared parts: roles, template tags, widgets, formatting, charts, workflow."""

    name = "metro_slum"
    verbose_name = "Metro slum-area programme"

    def ready(self):
        from metro_slum.roles import sync_role_groups

        # Permissions exist only after post_migrate has run for every app, so the role groups are
        # brought up to date there rather than in a data migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="metro_slum.sync_role_groups")
