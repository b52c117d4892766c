"""Two database workers (manage.py db_worker, real processes) handed the same messages twice
each: every message reaches the gateway once (PostgreSQL: the row lock and SKIP LOCKED)."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from participants import messaging
from participants.models import Message
from tests.cast import ready_group
from tests.concurrency import postgres_only
from tests.gateway import consenting

pytestmark = [*postgres_only, pytest.mark.process]


def test_two_workers_never_send_one_message_twice(gateway, cast, hadimulyo_barat):
    from django_tasks_db import DatabaseBackend

    server = gateway()
    group = ready_group(cast, hadimulyo_barat)
    people = consenting(group, 10)
    backend = DatabaseBackend("default", {"QUEUES": ["default"]})
    ids = []
    for person in people:
        message = Message.objects.create(
            participant=person, phone=messaging.normalise_phone(person.phone), text="Dana",
            reason="tranche", key=f"pg:{person.pk}",
        )  # fmt: skip
        ids.append(message.pk)
        for _twice in range(2):  # the same message handed to the queue twice
            backend.enqueue(messaging.deliver, [message.pk], {})
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "metro_slum.settings",
        "DJANGO_DEBUG": "true",
        "DJANGO_TASKS_BACKEND": "database",
        "DJANGO_MESSAGE_BACKEND": "metro_slum.messaging.HttpBackend",
        "DJANGO_MESSAGE_GATEWAY_URL": server.url,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
               "--interval", "0.05"]  # fmt: skip
    workers = [subprocess.Popen(command, env=env) for _worker in range(2)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0
    assert sorted(body["to"] for _auth, body in server.received) == sorted(
        Message.objects.filter(pk__in=ids).values_list("phone", flat=True)
    )
    assert Message.objects.filter(pk__in=ids, status="sent").count() == 10
    assert len(server.received) == 10
