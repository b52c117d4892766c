"""Complaints through their services: intake, deadlines, the state table and who sees what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Category, Complaint, ComplaintDeadline
from metro_slum import roles
from metro_slum.working_days import add_working_days
from tests.cast import pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Uang tahap pertama kurang Rp 500.000 dari berita acara."


def complain(by, kelurahan, **fields):
    fields.setdefault("category", Category.AMOUNT_CUT)
    fields.setdefault("channel", Complaint.Channel.WALK_IN)
    fields.setdefault("name", "Sumiati")
    return services.complaint_create(by=by, description=TEXT, kelurahan=kelurahan, **fields)


@pytest.fixture
def officer(db):
    return UserFactory(
        username="pengaduan", is_staff=True, roles=[roles.SUPERVISOR, roles.SENSITIVE_COMPLAINTS]
    )


def test_a_complaint_gets_a_number_a_code_and_its_categorys_deadlines(cast, hadimulyo_barat):
    ComplaintDeadline.objects.filter(category=Category.AMOUNT_CUT).update(
        first_answer_days=2, resolution_days=7
    )
    friday = datetime.date(2026, 8, 14)  # Monday the 17th is a public holiday
    complaint, code = complain(cast.staff, hadimulyo_barat, received_on=friday)
    assert complaint.number == f"ADU-2026-{complaint.pk:05d}"
    assert len(code) == services.CODE_LENGTH and code not in complaint.check_code_hash
    assert complaint.first_answer_due == datetime.date(2026, 8, 19)
    # Seven working days on: Tuesday the 25th is the Prophet's Birthday, skipped too.
    assert complaint.resolution_due == datetime.date(2026, 8, 27)
    assert complaint.status == "received" and complaint.events.get().to_status == "received"


def test_the_number_and_code_open_it_and_a_wrong_code_is_an_unknown_number(cast, hadimulyo_barat):
    complaint, code = complain(cast.staff, hadimulyo_barat)
    typed = code.lower()[:3] + " " + code.lower()[3:]
    assert services.complaint_find(complaint.number.lower(), typed) == complaint
    wrong = "A" * services.CODE_LENGTH if code != "A" * services.CODE_LENGTH else "B" * 6
    assert services.complaint_find(complaint.number, wrong) is None
    assert services.complaint_find("ADU-2026-99999", code) is None


def test_an_anonymous_complaint_keeps_no_name_or_number(cast, hadimulyo_barat):
    complaint, _code = complain(cast.staff, hadimulyo_barat, anonymous=True, phone="0812 1")
    assert complaint.name == "" and complaint.phone == ""


def test_a_phone_is_kept_as_plus_62_and_a_wrong_one_is_refused(cast, hadimulyo_barat):
    complaint, _code = complain(cast.staff, hadimulyo_barat, phone="0812-3456-7890")
    assert complaint.phone == "+6281234567890"
    with pytest.raises(ValidationError) as refused:
        complain(cast.staff, hadimulyo_barat, phone="12345")
    assert "0812 3456 7890" in str(refused.value)
    assert Complaint.objects.count() == 1


def test_a_bad_attachment_refuses_the_whole_complaint(cast, hadimulyo_barat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile(
        "kuitansi.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        complain(cast.staff, hadimulyo_barat, files=[pdf(), exe])
    assert Complaint.objects.count() == 0
    complaint, _code = complain(cast.staff, hadimulyo_barat, files=[pdf()])
    assert complaint.attachments.get().content_type == "application/pdf"


def test_a_future_receipt_date_is_refused(cast, hadimulyo_barat):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        complain(cast.staff, hadimulyo_barat, received_on=tomorrow)
    assert "received_on" in refused.value.error_dict


def test_a_tranche_fills_the_grant_group_and_kelurahan(cast, hadimulyo_barat):
    from tests.cast import approved_grant, disburse, ready_group

    group = ready_group(cast, hadimulyo_barat)
    grant = approved_grant(cast, group)
    tranche = disburse(cast, grant, 1_000_000)
    complaint, _code = complain(cast.worker, None, disbursement=tranche)
    assert (complaint.grant, complaint.group) == (grant, group)
    assert complaint.kelurahan == hadimulyo_barat


def test_the_steps_follow_the_state_table_and_each_is_an_event(cast, hadimulyo_barat):
    complaint, _code = complain(cast.staff, hadimulyo_barat)
    with pytest.raises(PermissionDenied):
        services.complaint_step(complaint=complaint, step="assess", by=cast.worker, note="x")
    with pytest.raises(ValidationError) as refused:
        services.complaint_step(complaint=complaint, step="assess", by=cast.supervisor)
    assert "note" in refused.value.error_dict
    services.complaint_step(
        complaint=complaint, step="assess", by=cast.supervisor, note="Kami periksa."
    )
    with pytest.raises(ValidationError):  # a double click: already assessed
        services.complaint_step(
            complaint=complaint, step="assess", by=cast.supervisor, note="Kami periksa."
        )
    services.complaint_step(complaint=complaint, step="start", by=cast.supervisor)
    services.complaint_step(
        complaint=complaint, step="resolve", by=cast.supervisor, note="Uang dikembalikan."
    )
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.public_answer == "Uang dikembalikan."
    assert complaint.answered_on == timezone.localdate()
    assert list(complaint.events.values_list("to_status", flat=True)) == [
        "received", "assessed", "in_progress", "resolved",
    ]  # fmt: skip


def test_a_rejection_needs_its_reason_and_is_appealed_once(cast, hadimulyo_barat):
    complaint, code = complain(cast.staff, hadimulyo_barat)
    with pytest.raises(ValidationError):
        services.complaint_step(complaint=complaint, step="reject", by=cast.supervisor)
    services.complaint_step(
        complaint=complaint, step="reject", by=cast.supervisor, note="Data sudah sesuai."
    )
    appealed = services.complaint_appeal_public(
        number=complaint.number, code=code, reason="Saya punya KK baru."
    )
    assert appealed.status == "appealed" and appealed.appeals == 1
    assert appealed.events.last().user is None
    services.complaint_step(
        complaint=complaint, step="resolve", by=cast.supervisor, note="Data diperbaiki."
    )
    with pytest.raises(ValidationError) as refused:
        services.complaint_appeal_public(number=complaint.number, code=code, reason="Lagi.")
    assert "satu kali" in str(refused.value)
    with pytest.raises(ValidationError):
        services.complaint_step(complaint=complaint, step="appeal", by=cast.staff, note="Lagi")
    assert Complaint.objects.get().appeals == 1


def test_a_step_dated_before_the_last_change_or_in_the_future_is_refused(cast, hadimulyo_barat):
    complaint, _code = complain(
        cast.staff, hadimulyo_barat, received_on=timezone.localdate() - datetime.timedelta(3)
    )
    for day in (
        complaint.received_on - datetime.timedelta(days=1),
        timezone.localdate() + datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as refused:
            services.complaint_step(
                complaint=complaint, step="assess", by=cast.supervisor, on=day, note="Ya."
            )
        assert "on" in refused.value.error_dict
    assert Complaint.objects.get().status == "received"


def test_a_sensitive_complaint_is_seen_only_by_the_designated_officer(
    cast, hadimulyo_barat, officer
):
    complaint, _code = complain(cast.staff, hadimulyo_barat, category=Category.STAFF_FEE)
    assert complaint.sensitive
    for user in (cast.worker, cast.staff, cast.supervisor):
        assert not selectors.may_see(user, complaint)
        assert not selectors.complaints_for(user).filter(pk=complaint.pk).exists()
    assert selectors.may_see(officer, complaint)
    with pytest.raises(PermissionDenied):
        services.complaint_step(complaint=complaint, step="assess", by=cast.supervisor, note="x")
    with pytest.raises(ValidationError):  # only a designated officer takes it on
        services.complaint_assign(complaint=complaint, owner=cast.supervisor, by=officer)
    services.complaint_assign(complaint=complaint, owner=officer, by=officer)
    assert Complaint.objects.get().owner == officer


def test_a_worker_sees_the_complaints_of_their_kelurahan_only(cast, hadimulyo_barat, karangrejo):
    own, _code = complain(cast.staff, hadimulyo_barat)
    other, _code = complain(cast.staff, karangrejo)
    visible = set(selectors.complaints_for(cast.worker))
    assert own in visible and other not in visible
    assert {own, other} <= set(selectors.complaints_for(cast.supervisor))


def test_an_overdue_complaint_escalates_to_the_supervisor_then_the_head(cast, hadimulyo_barat):
    received = datetime.date(2026, 10, 1)
    complaint, _code = complain(cast.staff, hadimulyo_barat, received_on=received)
    due = complaint.first_answer_due
    assert selectors.escalation(complaint, today=due) == ""
    day_after = add_working_days(due, 1)
    assert complaint.overdue(day_after) == "answer"
    assert selectors.escalation(complaint, today=day_after) == "supervisor"
    later = add_working_days(due, selectors.ESCALATE_TO_HEAD_AFTER + 1)
    assert selectors.escalation(complaint, today=later) == "head"
    late = Complaint.objects.filter(selectors.escalated_to_head(later))
    assert list(late) == [complaint]
    assert not Complaint.objects.filter(selectors.escalated_to_head(day_after)).exists()


def test_the_deadline_check_tells_the_owner_then_the_head_once(cast, hadimulyo_barat, officer):
    from complaints.tasks import notify_overdue
    from metro_slum.models import Notice

    head = UserFactory(username="kepala", is_staff=True, roles=[roles.HEAD_OF_OFFICE])
    long_ago = timezone.localdate() - datetime.timedelta(days=60)
    late, _code = complain(cast.staff, hadimulyo_barat, received_on=long_ago)
    services.complaint_assign(complaint=late, owner=cast.supervisor, by=cast.supervisor)
    sensitive, _code = complain(
        cast.staff, hadimulyo_barat, category=Category.STAFF_FEE, received_on=long_ago
    )
    complain(cast.staff, hadimulyo_barat)  # on time: nobody is told
    assert notify_overdue.call() > 0
    told = set(Notice.objects.filter(kind="complaint_overdue").values_list("user__username", "url"))
    late_url = f"/pengaduan/{late.pk}/"
    sensitive_url = f"/pengaduan/{sensitive.pk}/"
    assert ("kasi", late_url) in told and ("kepala", late_url) in told
    assert ("pengaduan", sensitive_url) in told
    # The sensitive one reaches neither the head of office nor an ordinary supervisor.
    assert ("kepala", sensitive_url) not in told and ("kasi", sensitive_url) not in told
    assert notify_overdue.call() == 0  # once
    assert head.notices.count() == 1
