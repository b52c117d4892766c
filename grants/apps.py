from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grants"
    verbose_name = _("Business-capital grants")

    def ready(self):
        from assessments.models import ActionPlan
        from assessments.signals import budget_saved
        from grants.services import grant_follow_budget

        budget_saved.connect(
            grant_follow_budget, sender=ActionPlan, dispatch_uid="grants_follow_rab"
        )
        from django.db.models.signals import post_delete

        from grants.models import Disbursement, MonitoringVisit
        from grants.services import grant_dates_follow

        for model in (Disbursement, MonitoringVisit):
            post_delete.connect(
                grant_dates_follow, sender=model, dispatch_uid=f"grants_dates_{model.__name__}"
            )

        from grants.services import household_reach_follow
        from participants.signals import households_changed

        households_changed.connect(household_reach_follow, dispatch_uid="grants_household_reach")

        from django.db.models.signals import post_save, pre_save

        from grants import figures
        from grants.models import Grant, SpendingLine
        from participants.models import ParticipantGroup

        for model, follow in ((Grant, figures.grant_place_follow),
                              (SpendingLine, figures.spending_place_follow)):  # fmt: skip
            for signal in (post_save, post_delete):
                signal.connect(follow, sender=model, dispatch_uid=f"grants_place_{model.__name__}")
        pre_save.connect(
            figures.group_place_before, sender=ParticipantGroup, dispatch_uid="grants_place_from"
        )
        post_save.connect(
            figures.group_place_follow, sender=ParticipantGroup, dispatch_uid="grants_place_to"
        )
