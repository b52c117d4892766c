"""`check --deploy` refuses SQLite in production unless the operator says it is a trial with
one worker, which gunicorn then starts alone."""

import runpy
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

CONF = Path(__file__).resolve().parent.parent / "metro_slum" / "gunicorn.conf.py"


def test_check_deploy_refuses_sqlite_and_names_database_url(settings):
    settings.SQLITE, settings.SQLITE_ONE_WORKER = True, False
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", "--deploy", "--tag", "security")
    assert "metro_slum.E001" in str(refused.value) and "DATABASE_URL=postgres://" in str(
        refused.value
    )


def test_a_one_worker_trial_on_sqlite_passes_and_runs_one_worker(settings, monkeypatch):
    settings.SQLITE, settings.SQLITE_ONE_WORKER = True, True
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    monkeypatch.setenv("DJANGO_SQLITE_ONE_WORKER", "true")
    assert runpy.run_path(str(CONF))["workers"] == 1
    monkeypatch.delenv("DJANGO_SQLITE_ONE_WORKER")
    assert runpy.run_path(str(CONF))["workers"] == 5


def test_postgresql_passes(settings):
    settings.SQLITE, settings.SQLITE_ONE_WORKER = False, False
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
