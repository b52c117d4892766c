"""Notices to staff: one function every service calls when something happened that a user
should know, and the tasks that e-mail them (at once, or in the daily digest).

A notice says what happened and links to the page; it names groups and complaint numbers, never
a NIK or a family card number, and goes only to users who may see the record (the caller chooses
them with the app's own scoping rule)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from metro_slum.background import enqueue_after_commit, every
from metro_slum.models import Notice, NoticeSetting

Mode = NoticeSetting.Mode


def email_mode(user) -> str:
    setting = NoticeSetting.objects.filter(user=user).first()
    return setting.email_mode if setting else Mode.DIGEST


def notify(users, *, kind: str, text, url: str = "", key: str = "") -> list[Notice]:
    """Give each active user the notice (once per `key`, if given); e-mail it after the
    transaction commits to those who want each notice at once. `text` may be a function: it is
    then written in the office's language, whatever the language of the page that caused it, and
    in English for a reader in English."""
    text_en = ""
    if callable(text):
        with override("en"):
            text_en = str(text())
        with override(settings.LANGUAGE_CODE):
            text = str(text())
    created = []
    for user in {user for user in users if user is not None and user.is_active}:
        if key and Notice.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    user=user, kind=kind, text=text[:300], text_en=text_en[:300],
                    url=url[:300], key=key,
                )  # fmt: skip
        except IntegrityError:  # the same reminder, given at the same moment elsewhere
            continue
        created.append(notice)
        if user.email and email_mode(user) == Mode.IMMEDIATE:
            enqueue_after_commit(send_notice_email, notice.pk)
    return created


def unread_count(user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def _link(url: str) -> str:
    return settings.PUBLIC_SITE_URL.rstrip("/") + url if settings.PUBLIC_SITE_URL else url


@task()
def send_notice_email(notice_id: int) -> bool:
    """E-mail one notice, unless it was e-mailed already (a task run twice sends once)."""
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update()
            .select_related("user")
            .filter(pk=notice_id, emailed_at__isnull=True)
            .first()
        )
        if notice is None or not notice.user.email:
            return False
        with override(settings.LANGUAGE_CODE):
            send_mail(
                subject=_("[Dinsos Metro] %(text)s") % {"text": notice.text[:120]},
                message=f"{notice.text}\n\n{_link(notice.url)}\n",
                from_email=None,
                recipient_list=[notice.user.email],
            )
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    return True


@every(datetime.timedelta(days=1))
@task()
def send_digests() -> int:
    """E-mail each user who chose the digest the notices of the last day not e-mailed yet, in
    one message; return how many were sent."""
    sent = 0
    waiting = Notice.objects.filter(emailed_at__isnull=True).exclude(user__email="")
    user_ids = waiting.values_list("user_id", flat=True).distinct()
    for user_id in list(user_ids):
        with transaction.atomic():
            notices = list(
                waiting.select_for_update().filter(user_id=user_id).order_by("created_at")
            )
            if not notices or email_mode(notices[0].user) != Mode.DIGEST:
                continue
            user = notices[0].user
            with override(settings.LANGUAGE_CODE):
                lines = [f"- {n.text}\n  {_link(n.url)}" for n in notices]
                send_mail(
                    subject=_("[Dinsos Metro] %(count)d notices of the day")
                    % {"count": len(notices)},
                    message="\n".join(lines) + "\n",
                    from_email=None,
                    recipient_list=[user.email],
                )
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
            sent += 1
    return sent
