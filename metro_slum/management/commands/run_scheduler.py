import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from metro_slum.background import periodic
from metro_slum.models import ScheduledJob


def enqueue_due(now=None) -> list[str]:
    """Enqueue every periodic job that is due, each at most once however many schedulers run;
    return the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic():
        ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        with transaction.atomic():
            row = (
                ScheduledJob.objects.select_for_update(skip_locked=True)
                .filter(name=job.name, next_run_at__lte=now)
                .first()
            )
            if row is None:
                continue
            row.last_run_at, row.next_run_at = now, now + job.every
            row.save(update_fields=["last_run_at", "next_run_at"])
            transaction.on_commit(job.task.enqueue)
            enqueued.append(job.name)
    return enqueued


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (deadline checks, digests, reminders, housekeeping) when they "
        "are due; runs until stopped, or once with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and stop")
        parser.add_argument("--interval", type=float, default=30, help="seconds between checks")

    def handle(self, *args, once, interval, **options):
        autodiscover_modules("tasks")
        while True:
            for name in enqueue_due():
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {name}")
            if once:
                return
            time.sleep(interval)
