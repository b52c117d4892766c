"""The programme's periodic work: personal data past its retention period anonymised, and each
user's daily reminder of the work that waits."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from metro_slum.background import every
from metro_slum.notices import notify
from programme import privacy, queue, selectors


@every(datetime.timedelta(days=30))
@task()
def anonymise_past_retention() -> list:
    """Anonymise participants whose programmes ended more than the retention period ago."""
    people, documents = privacy.anonymise_past_retention(years=settings.RETENTION_YEARS)
    return [people, documents]


@every(datetime.timedelta(days=1))
@task()
def remind_work_due() -> int:
    """Give each active user one notice a day of what waits for them (LPJs, visits, follow-ups
    and measurements due, complaints new or overdue), counted as their home page counts it."""
    today = timezone.localdate()
    reminded = 0
    users = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
    for user in users:
        waiting = [w for w in queue.work_for(user, selectors.Scope(user).lean_rows()) if w.count]
        if not waiting:
            continue

        def text(waiting=waiting):
            # Written in each language the notice is read in (metro_slum.notices).
            return _("Work that waits: %(items)s") % {
                "items": "; ".join(f"{w.item.label} ({w.count})" for w in waiting)
            }

        if notify(
            [user],
            kind="work_due",
            text=text,
            url=reverse("home"),
            key=f"work-due:{today.isoformat()}",
        ):
            reminded += 1
    return reminded
