"""Background work: a task asked for inside a transaction runs only once that transaction has
committed (never for work that was rolled back), whichever task backend runs it; and the periodic
jobs every app registers, enqueued by `manage.py run_scheduler`."""

import datetime
from dataclasses import dataclass

from django.db import transaction


def enqueue_after_commit(task, *args, **kwargs) -> None:
    """Enqueue `task(*args, **kwargs)` when the current transaction commits (at once outside
    one). The database backend would keep an uncommitted row from its worker anyway; the
    immediate backend would otherwise run the task before the data it reads exists."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


@dataclass(frozen=True)
class Periodic:
    name: str
    task: object
    every: datetime.timedelta


_PERIODIC: dict[str, Periodic] = {}


def every(interval: datetime.timedelta, name: str | None = None):
    """Register a task (decorated with @task) to be enqueued once per `interval` by the
    scheduler: `@every(timedelta(days=1))` above `@task()`."""

    def register(task):
        key = name or task.module_path
        _PERIODIC[key] = Periodic(key, task, interval)
        return task

    return register


def periodic() -> list[Periodic]:
    return list(_PERIODIC.values())
