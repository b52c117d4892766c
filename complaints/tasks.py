"""The complaints' daily deadline check: each overdue complaint is told to whoever must act on
it, once per step of its escalation — its owner (or every officer who may handle it while it has
none), then the head of office."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from complaints import selectors
from complaints.models import HANDLE, Complaint
from metro_slum.background import every
from metro_slum.notices import notify


def _holders(codename: str):
    """Active users whose role carries the permission (or who are superusers)."""
    app_label, name = codename.split(".")
    return (
        get_user_model()
        .objects.filter(
            Q(
                groups__permissions__codename=name,
                groups__permissions__content_type__app_label=app_label,
            )
            | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
    )


@every(datetime.timedelta(hours=12))
@task()
def notify_overdue() -> int:
    """Tell of every complaint past a deadline; return how many notices were given."""
    given = 0
    handlers, overseers = list(_holders(HANDLE)), list(_holders("complaints.oversee_complaints"))
    late = Complaint.objects.filter(selectors.overdue()).select_related("owner")
    escalated = set(
        Complaint.objects.filter(selectors.escalated_to_head()).values_list("pk", flat=True)
    )
    for complaint in late:
        people = [complaint.owner] if complaint.owner else handlers
        if complaint.pk in escalated:
            people = [*people, *overseers]
        people = [user for user in people if selectors.may_see(user, complaint)]

        def text(complaint=complaint):
            return _("Complaint %(number)s is past its deadline (%(category)s).") % {
                "number": complaint.number,
                "category": complaint.get_category_display(),
            }

        level = "head" if complaint.pk in escalated else "supervisor"
        given += len(
            notify(
                people,
                kind="complaint_overdue",
                text=text,
                url=reverse("complaints:detail", args=[complaint.pk]),
                key=f"complaint-overdue:{complaint.pk}:{level}:{complaint.resolution_due}",
            )
        )
    return given
