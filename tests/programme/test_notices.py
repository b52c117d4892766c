"""Notices to staff: who is told what, the list with its unread count, opening and marking read,
e-mail at once or in the daily digest, never a NIK."""

import pytest
from django.core import mail
from django.urls import reverse

from assessments import services as assessment_services
from grants import services as grant_services
from metro_slum.models import Notice, NoticeSetting
from metro_slum.notices import send_digests
from tests.cast import approved_grant, disburse, ready_group, submitted_grant

pytestmark = pytest.mark.django_db


def test_a_returned_plan_tells_the_kelurahans_worker_and_nobody_else(
    cast, hadimulyo_barat, karangrejo, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    other = UserFactory(username="pekerja-karang", roles=["Pekerja Sosial"])
    other.kelurahan_assignments.create(kelurahan=karangrejo)
    group = ready_group(cast, hadimulyo_barat)
    assessment_services.action_plan_return(
        plan=group.action_plan, by=cast.supervisor, note="RAB belum memuat harga botol."
    )
    notice = Notice.objects.get(user=cast.worker)
    assert group.name in notice.text and "harga botol" in notice.text
    assert notice.url == reverse("assessments:plan", kwargs={"group_pk": group.pk})
    assert not Notice.objects.filter(user=other).exists()
    assert not any(member.participant.nik in notice.text for member in group.memberships.all())


def test_a_grant_decision_and_a_tranche_are_told(cast, hadimulyo_barat):
    group = ready_group(cast, hadimulyo_barat)
    grant = approved_grant(cast, group)
    texts = list(Notice.objects.filter(user=cast.worker).values_list("text", flat=True))
    assert any("disetujui" in text for text in texts)
    disburse(cast, grant, 1_000_000)
    assert Notice.objects.filter(user=cast.worker, kind="tranche").count() == 1


def test_a_rejected_grant_tells_who_prepared_it(cast, hadimulyo_barat):
    grant = submitted_grant(cast, ready_group(cast, hadimulyo_barat))
    grant_services.grant_reject(grant=grant, by=cast.supervisor, reason="Tambahkan foto lokasi.")
    notice = Notice.objects.get(user=cast.worker, kind="grant_decided")
    assert "ditolak" in notice.text and "foto lokasi" in notice.text


def test_the_menu_counts_unread_and_opening_one_marks_it_read(client, cast):
    first = Notice.objects.create(user=cast.worker, kind="returned", text="Satu", url="/")
    Notice.objects.create(user=cast.worker, kind="returned", text="Dua", url="/")
    Notice.objects.create(user=cast.staff, kind="returned", text="Bukan untuk pekerja", url="/")
    client.force_login(cast.worker)
    page = client.get(reverse("programme:notices")).content.decode()
    assert 'data-unread="2"' in page and "Bukan untuk pekerja" not in page
    opened = client.post(reverse("programme:notice_open", args=[first.pk]))
    assert opened.status_code == 302 and opened.url == "/"
    assert 'data-unread="1"' in client.get(reverse("programme:notices")).content.decode()
    client.post(reverse("programme:notices"), {"action": "read-all"})
    assert not Notice.objects.filter(user=cast.worker, read_at__isnull=True).exists()
    staffs = Notice.objects.get(user=cast.staff)
    assert client.post(reverse("programme:notice_open", args=[staffs.pk])).status_code == 404


def test_an_offsite_link_is_not_followed(client, cast):
    notice = Notice.objects.create(
        user=cast.worker, kind="x", text="x", url="https://evil.example/"
    )
    client.force_login(cast.worker)
    assert client.post(reverse("programme:notice_open", args=[notice.pk])).url == reverse(
        "programme:notices"
    )


def test_immediate_mode_emails_each_notice_after_the_commit(
    client, cast, hadimulyo_barat, django_capture_on_commit_callbacks
):
    cast.worker.email = "rina@example.go.id"
    cast.worker.save()
    client.force_login(cast.worker)
    client.post(reverse("programme:notices"), {"email_mode": "immediate"})
    assert NoticeSetting.objects.get(user=cast.worker).email_mode == "immediate"
    group = ready_group(cast, hadimulyo_barat)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_services.action_plan_return(
            plan=group.action_plan, by=cast.supervisor, note="Perbaiki jadwal."
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rina@example.go.id"] and "Perbaiki jadwal" in mail.outbox[0].body
    assert Notice.objects.get(user=cast.worker).emailed_at is not None


def test_the_daily_digest_sends_one_email_with_every_notice_once(cast):
    cast.worker.email = "rina@example.go.id"
    cast.worker.save()
    for text in ("Rencana dikembalikan", "Pencairan dicatat"):
        Notice.objects.create(user=cast.worker, kind="x", text=text, url="/")
    Notice.objects.create(user=cast.staff, kind="x", text="Tanpa alamat e-mail", url="/")
    assert send_digests.call() == 1
    assert len(mail.outbox) == 1 and "Pencairan dicatat" in mail.outbox[0].body
    assert "Rencana dikembalikan" in mail.outbox[0].body
    assert send_digests.call() == 0 and len(mail.outbox) == 1


def test_a_notice_is_read_in_the_readers_language(client, cast, hadimulyo_barat):
    grant = submitted_grant(cast, ready_group(cast, hadimulyo_barat))
    grant_services.grant_reject(grant=grant, by=cast.supervisor, reason="Tambahkan foto lokasi.")
    notice = Notice.objects.get(user=cast.worker, kind="grant_decided")
    assert "ditolak" in notice.text and "rejected" in notice.text_en
    client.force_login(cast.worker)
    indonesian = client.get(reverse("programme:notices")).text
    assert notice.text in indonesian and notice.text_en not in indonesian
    client.cookies["django_language"] = "en"
    english = client.get(reverse("programme:notices")).text
    assert notice.text_en in english and notice.text not in english
    # One written before English was kept reads as it was written.
    Notice.objects.create(user=cast.worker, kind="returned", text="Rencana dikembalikan", url="/")
    assert "Rencana dikembalikan" in client.get(reverse("programme:notices")).text
