from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "participants"
    verbose_name = _("Participants and groups")

    def ready(self):
        from django.contrib.auth import get_user_model

        from participants import exports  # noqa: F401 - registers its kinds of list
        from participants.history import person_name

        # Everywhere a user is shown (admin lists, "by" columns, choices), the full name.
        get_user_model().__str__ = person_name
