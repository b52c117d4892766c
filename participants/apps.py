from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "participants"
    verbose_name = _("Participants and groups")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from participants.history import person_name
        from participants.models import Membership
        from participants.services import membership_changed

        # Everywhere a user is shown (admin lists, "by" columns, choices), the full name.
        get_user_model().__str__ = person_name

        post_save.connect(membership_changed, sender=Membership, dispatch_uid="roster_saved")
        post_delete.connect(membership_changed, sender=Membership, dispatch_uid="roster_deleted")
