"""Messages to participants (and complainants) by SMS or WhatsApp: queued by the services that
record an event, only with consent and a valid number, sent by a task through the configured
gateway (metro_slum.messaging), at most once, retried with back-off, then marked failed."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from metro_slum import messaging
from metro_slum.background import enqueue_after_commit, every
from metro_slum.phones import normalise_phone
from participants.models import Message, Participant

Status = Message.Status


def _why_not(participant: Participant | None, phone: str) -> str:
    """Why this person is not to be messaged, or '' (a participant: consent, not stopped)."""
    if participant is not None:
        if participant.anonymised_at is not None:
            return _("anonymised")
        if not participant.messages_consent:
            return _("no consent to messages")
        if participant.messages_stopped_on is not None:
            return _("asked to stop messages")
    if not phone:
        return _("no phone number")
    try:
        normalise_phone(phone)
    except ValidationError:
        return _("not a valid phone number")
    return ""


def message_queue(
    *, key: str, text: str, reason: str, participant=None, phone="", sensitive=False
) -> Message:
    """Queue a message about one event (`key`), to a participant (their phone) or a number;
    the same event is queued once. A person without consent or a valid number gets a record
    saying why it was not sent, never a message. A message about a sensitive complaint is
    `sensitive`: the log shows it only to those who may see the complaint."""
    phone = phone or (participant.phone if participant is not None else "")
    existing = Message.objects.filter(key=key).first()
    if existing is not None:
        return existing
    why_not = _why_not(participant, phone)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                participant=participant,
                phone=normalise_phone(phone) if not why_not else "",
                text=text[:480],
                reason=reason,
                sensitive=sensitive,
                key=key[:200],
                status=Status.SKIPPED if why_not else Status.QUEUED,
                detail=why_not,
            )
    except IntegrityError:  # queued at the same moment by another request
        return Message.objects.get(key=key)
    if message.status == Status.QUEUED:
        enqueue_after_commit(deliver, message.pk)
    return message


def retry_delay(attempts: int) -> datetime.timedelta:
    """After the n-th failed attempt: 1, 2, 4, 8... times the base delay."""
    return datetime.timedelta(seconds=settings.MESSAGE_RETRY_SECONDS * 2 ** (attempts - 1))


@task()
def deliver(message_id: int) -> str:
    """Send one queued message through the gateway. The row stays locked while it is sent, so
    a second worker holding the same task waits and then finds it sent: never sent twice. A
    gateway failure is retried later (a new task, after the back-off), then marked failed."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != Status.QUEUED:
            return "not queued"
        if message.next_attempt_at and message.next_attempt_at > timezone.now():
            return "not yet"
        if message.participant_id and _why_not(message.participant, message.phone):
            message.status, message.detail = (
                Status.SKIPPED,
                _why_not(message.participant, message.phone),
            )
            message.save(update_fields=["status", "detail"])
            return message.status
        message.attempts += 1
        try:
            message.gateway_id = messaging.backend().send(message.phone, message.text)
        except messaging.GatewayError as failure:
            message.detail = str(failure)[:300]
            if message.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
                message.status, message.next_attempt_at = Status.FAILED, None
            else:
                message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
                _retry_later(message_id, message.next_attempt_at)
        else:
            message.status, message.sent_at, message.detail = Status.SENT, timezone.now(), ""
            message.next_attempt_at = None
        message.save()
        return message.status


def _retry_later(message_id: int, when) -> None:
    """A deferred task where the backend can defer; otherwise `retry_waiting` (every minute)
    hands it back when its time has come."""
    if deliver.get_backend().supports_defer:
        transaction.on_commit(lambda: deliver.using(run_after=when).enqueue(message_id))


@every(datetime.timedelta(minutes=1))
@task()
def retry_waiting() -> int:
    """Hand every message whose retry time has come to `deliver` again (for task backends that
    cannot defer a task, and after a worker was down)."""
    due = Message.objects.filter(status=Status.QUEUED, next_attempt_at__lte=timezone.now())
    ids = list(due.values_list("pk", flat=True)[:500])
    for message_id in ids:
        deliver.enqueue(message_id)
    return len(ids)
