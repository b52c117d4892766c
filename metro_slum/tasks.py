"""Housekeeping that runs on the scheduler (manage.py run_scheduler) as background tasks."""

import datetime

from django_tasks import task

from metro_slum.background import every
from metro_slum.notices import send_digests  # noqa: F401 - registered with the scheduler
from metro_slum.spreadsheets import waiting


@every(datetime.timedelta(hours=6))
@task()
def cleanup_imports() -> int:
    """Delete uploaded lists (and their problem lists) of imports never confirmed."""
    return waiting.remove_older_than(6)
