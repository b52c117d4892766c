"""Checks `manage.py check --deploy` runs before every start (docs/deploy.md)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def no_sqlite_in_production(app_configs, **kwargs):
    """SQLite loses writes under several server processes: production names its PostgreSQL."""
    if not settings.SQLITE or settings.SQLITE_ONE_WORKER:
        return []
    return [
        checks.Error(
            "The database is SQLite (DATABASE_URL is unset or sqlite://): several gunicorn "
            "workers writing at once lose requests to 'database is locked'.",
            hint="Set DATABASE_URL=postgres://user:password@host:5432/name (docs/deploy.md). "
            "For a trial on one machine with one worker only, set DJANGO_SQLITE_ONE_WORKER=true.",
            id="metro_slum.E001",
        )
    ]
