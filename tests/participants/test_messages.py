"""Messages to participants through the gateway: consent and a valid number first, logged with
their state, retried with back-off on a gateway failure, then failed; never sent twice."""

import datetime
import json

import pytest
from django.utils import timezone

from participants import messaging
from participants.models import Message
from tests.cast import approved_grant, disburse, ready_group
from tests.gateway import consenting

pytestmark = pytest.mark.django_db


def test_a_tranche_messages_only_members_who_agreed_with_a_valid_number(
    cast, hadimulyo_barat, django_capture_on_commit_callbacks
):
    group = ready_group(cast, hadimulyo_barat)
    members = consenting(group, 3)
    members[3].phone = "0812 0000 1111"  # a number, but no consent
    members[3].save()
    members[4].messages_consent, members[4].phone = True, "12"  # consent, no valid number
    members[4].save()
    members[2].messages_stopped_on = datetime.date(2026, 10, 1)  # asked to stop
    members[2].save()
    grant = approved_grant(cast, group)
    with django_capture_on_commit_callbacks(execute=True):
        tranche = disburse(cast, grant, 1_000_000)
    messages = Message.objects.filter(key__startswith=f"tranche:{tranche.pk}:")
    assert messages.count() == 10  # every member has a record, sent or not
    sent = messages.filter(status="sent")
    assert {m.participant for m in sent} == set(members[:2])
    assert all(m.phone.startswith("+62") and "Rp 1.000.000" in m.text for m in sent)
    why = dict(messages.exclude(status="sent").values_list("participant", "detail"))
    assert why[members[3].pk] == "tidak setuju menerima pesan"
    assert why[members[4].pk] == "bukan nomor telepon yang sah"
    assert why[members[2].pk] == "minta berhenti menerima pesan"
    # Recorded again (a double click, a retried request): nothing queued twice.
    messaging.message_queue(
        key=f"tranche:{tranche.pk}:participant:{members[0].pk}",
        text="x",
        reason="tranche",
        participant=members[0],
    )
    assert messages.count() == 10


def test_the_http_gateway_gets_the_message_with_its_token(gateway, cast, hadimulyo_barat):
    server = gateway((200, json.dumps({"id": "abc-1"})))
    group = ready_group(cast, hadimulyo_barat)
    person = consenting(group, 1)[0]
    message = messaging.message_queue(
        key="t:1", text="Dana tahap 1", reason="tranche", participant=person
    )
    assert messaging.deliver.call(message.pk) == "sent"
    message.refresh_from_db()
    assert (message.status, message.gateway_id, message.attempts) == ("sent", "abc-1", 1)
    assert server.received == [
        (
            "Bearer rahasia",
            {"to": "+6281234560000", "text": "Dana tahap 1", "sender": "DINSOS METRO"},
        )
    ]
    assert messaging.deliver.call(message.pk) == "not queued"  # never twice
    assert len(server.received) == 1


@pytest.mark.parametrize(
    "answer", [(500, "oops"), (200, "<html>not json</html>"), (200, json.dumps({"ok": 1}))]
)
def test_a_failing_gateway_is_retried_with_back_off_then_failed(
    gateway, settings, cast, hadimulyo_barat, answer
):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    server = gateway(*[answer] * 3)
    person = consenting(ready_group(cast, hadimulyo_barat), 1)[0]
    message = messaging.message_queue(key="t:2", text="x", reason="tranche", participant=person)
    assert messaging.deliver.call(message.pk) == "queued"
    message.refresh_from_db()
    first_retry = message.next_attempt_at - timezone.now()
    assert message.attempts == 1 and 50 < first_retry.total_seconds() <= 60
    assert messaging.deliver.call(message.pk) == "not yet"  # its time has not come
    for attempt in (2, 3):
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert messaging.retry_waiting.call() == 1
        message.refresh_from_db()
        assert message.attempts == attempt
    assert message.status == "failed" and message.detail
    assert len(server.received) == 3
    assert messaging.retry_waiting.call() == 0


def test_a_gateway_that_does_not_answer_times_out_and_waits_for_a_retry(
    gateway, settings, cast, hadimulyo_barat
):
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    gateway()
    settings.MESSAGE_GATEWAY_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/send"
    settings.MESSAGE_GATEWAY_TIMEOUT = 1
    person = consenting(ready_group(cast, hadimulyo_barat), 1)[0]
    message = messaging.message_queue(key="t:3", text="x", reason="tranche", participant=person)
    assert messaging.deliver.call(message.pk) == "queued"
    message.refresh_from_db()
    assert message.attempts == 1 and "no answer" in message.detail
    silent.close()


def test_a_gateway_down_does_not_hold_the_page_that_recorded_the_tranche(
    gateway, settings, cast, hadimulyo_barat, django_capture_on_commit_callbacks
):
    """With the office's task backend the sending waits for the worker: recording the tranche
    neither waits for the gateway nor fails with it; the worker sends later."""
    from django_tasks_db.models import DBTaskResult

    server = gateway((503, "down"), (503, "down"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    group = ready_group(cast, hadimulyo_barat)
    consenting(group, 2)
    grant = approved_grant(cast, group)
    with django_capture_on_commit_callbacks(execute=True):
        tranche = disburse(cast, grant, 1_000_000)
    assert server.received == []  # nothing was sent while the tranche was recorded
    queued = Message.objects.filter(key__startswith=f"tranche:{tranche.pk}:", status="queued")
    assert queued.count() == 2
    # Each queued message (the tranche's, the payment verification's question) has its task.
    waiting = DBTaskResult.objects.ready().filter(task_path="participants.messaging.deliver")
    assert sorted(task.args_kwargs["args"][0] for task in waiting) == sorted(
        Message.objects.filter(status="queued").values_list("pk", flat=True)
    )
    # The worker's first try meets the failing gateway: queued for a retry, not lost.
    for task in waiting:
        messaging.deliver.call(*task.args_kwargs["args"])
    assert queued.count() == 2 and all(m.attempts == 1 for m in queued)


def test_a_planned_visit_is_told_to_the_members_who_agreed(cast, hadimulyo_barat):
    from grants import services as grant_services
    from grants.models import MonitoringVisit

    group = ready_group(cast, hadimulyo_barat)
    consenting(group, 2)
    grant = approved_grant(cast, group)
    disburse(cast, grant, 1_000_000)
    fields = {"business_status": MonitoringVisit.BusinessStatus.RUNNING, "active_members": 10,
              "monthly_revenue": 500_000, "monthly_profit": 100_000}  # fmt: skip
    visit = grant_services.monitoring_visit_record(
        grant=grant, by=cast.worker, visit_date=datetime.date(2026, 10, 1),
        next_visit_on=datetime.date(2026, 11, 2), **fields,
    )  # fmt: skip
    told = Message.objects.filter(key__startswith=f"visit:{visit.pk}:")
    # Queued (sent after the commit) for the two who agreed; the others' records say why not.
    assert told.count() == 10 and told.filter(status="queued").count() == 2
    assert "02/11/2026" in told.filter(status="queued").first().text
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # the next visit comes after this one
        grant_services.monitoring_visit_record(
            grant=grant, by=cast.worker, visit_date=datetime.date(2026, 10, 5),
            next_visit_on=datetime.date(2026, 10, 5), **fields,
        )  # fmt: skip
