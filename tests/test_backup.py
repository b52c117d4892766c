"""A backup is only as good as its restore: dump the database, restore it into an empty one, and
find every participant and grant there."""

import os
import shutil
import subprocess
import uuid
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from grants.models import Grant
from participants.models import Participant
from tests.concurrency import postgres_only

pytestmark = [*postgres_only, pytest.mark.process]

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def tool(name):
    found = PG_BIN / name
    return str(found) if found.exists() else shutil.which(name)


def url(settings, name):
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{settings['HOST']}:{settings['PORT']}/{name}"


def test_a_nightly_dump_restores_into_an_empty_database_with_every_record(tmp_path):
    call_command("load_demo", "--allow-without-debug", stdout=StringIO())
    expected_people = set(Participant.objects.values_list("nik", flat=True))
    expected_grants = dict(Grant.objects.values_list("pk", "status"))
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": url(settings, settings["NAME"]),
        "BACKUP_DIR": str(tmp_path),
        "PG_DUMP": tool("pg_dump"),
        "PG_RESTORE": tool("pg_restore"),
    }
    dump = subprocess.run(
        [str(ROOT / "deploy" / "backup.sh")], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert Path(dump).stat().st_mode & 0o777 == 0o600

    target = f"restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(url(settings, "postgres"))
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(
            [str(ROOT / "deploy" / "restore.sh"), dump],
            env={**env, "TARGET_DATABASE_URL": url(settings, target)},
            check=True,
            capture_output=True,
        )
        with psycopg2.connect(url(settings, target)) as restored, restored.cursor() as cursor:
            cursor.execute("SELECT nik FROM participants_participant")
            assert {row[0] for row in cursor.fetchall()} == expected_people
            cursor.execute("SELECT id, status FROM grants_grant")
            assert dict(cursor.fetchall()) == expected_grants
            cursor.execute("SELECT count(*) FROM grants_historicalgrant")
            assert cursor.fetchone()[0] > 0
        restored.close()
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.close()
