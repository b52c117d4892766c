"""Background work: tasks run only after their transaction commits, and the scheduler enqueues
each periodic job once when it is due, however many schedulers run."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from metro_slum.background import periodic
from metro_slum.management.commands.run_scheduler import enqueue_due
from metro_slum.models import Notice, NoticeSetting, ScheduledJob
from metro_slum.notices import notify

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_asked_for_in_a_rolled_back_transaction_never_runs(cast):
    cast.worker.email = "rina@example.go.id"
    cast.worker.save()
    NoticeSetting.objects.create(user=cast.worker, email_mode="immediate")
    with transaction.atomic():
        notify([cast.worker], kind="x", text="Dibatalkan")
        transaction.set_rollback(True)
    assert mail.outbox == [] and not Notice.objects.exists()
    with transaction.atomic():
        notify([cast.worker], kind="x", text="Jadi")
        assert mail.outbox == []  # not before the commit
    assert [message.body.splitlines()[0] for message in mail.outbox] == ["Jadi"]


def test_the_scheduler_enqueues_each_job_once_until_it_is_due_again(cast):
    autodiscover_modules("tasks")
    names = {job.name for job in periodic()}
    assert {"metro_slum.tasks.cleanup_imports", "programme.tasks.remind_work_due",
            "metro_slum.notices.send_digests", "participants.messaging.retry_waiting",
            "programme.tasks.anonymise_past_retention",
            "complaints.tasks.notify_overdue"} <= names  # fmt: skip
    now = timezone.now()
    assert set(enqueue_due(now)) == names
    assert enqueue_due(now) == []  # a second scheduler at the same moment: nothing twice
    later = now + datetime.timedelta(minutes=2)
    assert enqueue_due(later) == ["participants.messaging.retry_waiting"]
    job = ScheduledJob.objects.get(name="programme.tasks.remind_work_due")
    assert job.next_run_at == now + datetime.timedelta(days=1)


def test_the_daily_reminder_tells_each_user_what_waits_once_a_day(cast, hadimulyo_barat):
    from tests.cast import ready_group

    ready_group(cast, hadimulyo_barat)  # a plan submitted: the supervisor's to approve
    from programme.tasks import remind_work_due

    assert remind_work_due.call() >= 1
    notice = Notice.objects.get(user=cast.supervisor, kind="work_due")
    assert "Rencana tindak yang perlu disetujui (1)" in notice.text
    remind_work_due.call()
    assert Notice.objects.filter(user=cast.supervisor, kind="work_due").count() == 1
