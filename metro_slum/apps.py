from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MetroSlumConfig(AppConfig):
    """The project's shared parts: roles, template tags, widgets, formatting, charts, workflow,
    spreadsheets in and out, stored files, and the records they share (the export log)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "metro_slum"
    verbose_name = _("Office records")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from metro_slum import checks  # noqa: F401 - registers the deploy checks
        from metro_slum.middleware import session_started
        from metro_slum.roles import sync_role_groups

        user_logged_in.connect(session_started, dispatch_uid="metro_slum.session_started")
        # Permissions exist only after post_migrate has run for every app, so the role groups are
        # brought up to date there rather than in a data migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="metro_slum.sync_role_groups")


class OfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the office's site (metro_slum/admin_site.py)."""

    default = False  # this module's default is the app above
    default_site = "metro_slum.admin_site.OfficeAdminSite"
