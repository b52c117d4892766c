import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grants import services
from grants.models import Document, Grant, GrantEvent
from participants.models import Membership
from tests.assessments.helpers import save_plan
from tests.cast import (
    APPROVED_AT,
    approved_grant,
    disburse,
    draft_grant,
    pdf,
    png,
    ready_group,
    spend,
    submitted_grant,
)
from tests.conftest import fill_group
from tests.factories import GroupFactory
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

Status = Grant.Status


def statuses(grant):
    return list(grant.events.values_list("from_status", "to_status"))


def test_draft_defaults_to_the_plan_total_and_records_its_first_event(cast, planned_group):
    grant = draft_grant(cast, planned_group, documents=False)
    assert grant.amount_requested == Decimal(2_550_000)  # 3 × Rp 850.000 in the plan
    assert grant.purpose == planned_group.action_plan.goal
    assert grant.program == planned_group.program
    assert statuses(grant) == [("", "draft")]


def test_grant_needs_an_action_plan(cast, hadimulyo_barat):
    with pytest.raises(ValidationError) as caught:
        services.grant_create(group=GroupFactory(kelurahan=hadimulyo_barat), by=cast.worker)
    assert "Susun rencana tindak dan RAB kelompok" in messages_of(caught)[0]


def test_submission_lists_every_failed_gate(cast, hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat)
    fill_group(group, 9)
    save_plan(group)
    grant = services.grant_create(group=group, by=cast.worker)

    with pytest.raises(ValidationError) as caught:
        services.grant_submit(grant=grant, by=cast.worker)

    assert messages_of(caught) == [
        "Kelompok belum lengkap: 9 dari 10 anggota, perlu 1 lagi. Lengkapi kelompok terlebih "
        "dahulu.",
        "Asesmen kebutuhan belum ditinjau supervisor.",
        "Rencana tindak belum dikirim.",
        "Dokumen yang belum ada: Proposal, Rencana anggaran biaya (RAB), Fotokopi buku "
        "tabungan, Fotokopi KTP anggota.",
        "Isi bank, nomor rekening dan nama pemilik rekening kelompok.",
    ]
    grant.refresh_from_db()
    assert grant.status == Status.DRAFT


def test_missing_documents_are_named(cast, planned_group):
    grant = draft_grant(cast, planned_group, documents=False)
    services.document_upload(grant=grant, by=cast.worker, kind=Document.Kind.PROPOSAL, file=pdf())
    with pytest.raises(ValidationError) as caught:
        services.grant_submit(grant=grant, by=cast.worker)
    assert messages_of(caught) == [
        "Dokumen yang belum ada: Rencana anggaran biaya (RAB), Fotokopi buku tabungan, "
        "Fotokopi KTP anggota."
    ]


def test_complete_grant_is_submitted_once(cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    assert grant.status == Status.SUBMITTED
    assert grant.submitted_by == cast.worker
    with pytest.raises(ValidationError) as caught:
        services.grant_submit(grant=grant, by=cast.worker)
    assert "status bantuan sekarang 'Diajukan, menunggu keputusan'" in messages_of(caught)[0]
    assert grant.events.count() == 2


@pytest.mark.parametrize("who", ["supervisor", "staff"])
def test_only_a_social_worker_submits(cast, planned_group, who):
    grant = draft_grant(cast, planned_group)
    with pytest.raises(PermissionDenied):
        services.grant_submit(grant=grant, by=getattr(cast, who))


@pytest.mark.parametrize("who", ["worker", "staff"])
def test_only_a_supervisor_approves_or_rejects(cast, planned_group, who):
    grant = submitted_grant(cast, planned_group)
    with pytest.raises(PermissionDenied):
        services.grant_approve(grant=grant, by=getattr(cast, who))
    with pytest.raises(PermissionDenied):
        services.grant_reject(grant=grant, by=getattr(cast, who), reason="x")
    grant.refresh_from_db()
    assert grant.status == Status.SUBMITTED


def test_supervisor_approves_and_the_event_says_who(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    assert grant.status == Status.APPROVED
    assert grant.amount_approved == grant.amount_requested
    event = grant.events.last()
    assert (event.from_status, event.to_status, event.user) == (
        "submitted",
        "approved",
        cast.supervisor,
    )


def test_a_supervisor_never_decides_on_a_grant_they_submitted(cast, planned_group):
    # A supervisor who also does field work (fetched again: permissions are cached per object).
    cast.supervisor.groups.add(*cast.worker.groups.all())
    cast.supervisor = type(cast.supervisor).objects.get(pk=cast.supervisor.pk)
    grant = services.grant_submit(grant=draft_grant(cast, planned_group), by=cast.supervisor)
    with pytest.raises(ValidationError) as caught:
        services.grant_approve(grant=grant, by=cast.supervisor)
    assert "supervisor lain yang harus memutuskannya" in messages_of(caught)[0]
    services.grant_approve(grant=grant, by=cast.other_supervisor)


def test_approval_above_the_ceiling_is_refused(cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    with pytest.raises(ValidationError) as caught:
        services.grant_approve(grant=grant, by=cast.supervisor, amount=Decimal(20_000_001))
    assert messages_of(caught) == [
        "Jumlah sebesar Rp 20.000.001 melebihi plafon bantuan per kelompok program ini "
        "(Rp 20.000.000). Kurangi Rp 1."
    ]


def test_approval_beyond_what_is_left_of_the_budget_is_refused(
    cast, planned_group, hadimulyo_barat
):
    program = planned_group.program
    program.total_budget = Decimal(3_000_000)
    program.grant_ceiling_per_group = Decimal(3_000_000)
    program.save()
    first = approved_grant(cast, planned_group)  # Rp 2.550.000 committed
    second_group = ready_group(cast, hadimulyo_barat)
    second_group.program = program
    second = submitted_grant(cast, second_group)
    assert second.program == first.program

    with pytest.raises(ValidationError) as caught:
        services.grant_approve(grant=second, by=cast.supervisor)
    assert messages_of(caught) == [
        "Jumlah Rp 2.550.000 melebihi sisa anggaran program (Rp 450.000 dari Rp 3.000.000)."
    ]


def test_rejection_needs_a_reason_and_can_be_revised_and_resubmitted(cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    with pytest.raises(ValidationError) as caught:
        services.grant_reject(grant=grant, by=cast.supervisor, reason="  ")
    assert messages_of(caught) == [
        "Tulis alasan penolakan agar kelompok tahu apa yang harus direvisi."
    ]

    grant = services.grant_reject(grant=grant, by=cast.supervisor, reason="Harga terlalu tinggi")
    assert (grant.status, grant.rejection_reason) == (Status.REJECTED, "Harga terlalu tinggi")

    services.grant_update(grant=grant, by=cast.worker, amount_requested=Decimal(2_000_000))
    grant = services.grant_submit(grant=grant, by=cast.worker)
    assert grant.status == Status.SUBMITTED
    assert grant.amount_requested == Decimal(2_000_000)
    assert [to for _, to in statuses(grant)] == ["draft", "submitted", "rejected", "submitted"]


@pytest.mark.parametrize("step", ["submitted", "approved", "disbursed"])
def test_a_grant_past_draft_cannot_be_edited(cast, planned_group, step):
    grant = submitted_grant(cast, planned_group)
    if step != "submitted":
        grant = services.grant_approve(grant=grant, by=cast.supervisor, at=APPROVED_AT)
    if step == "disbursed":
        disburse(cast, grant, 1_000_000)
    with pytest.raises(ValidationError):
        services.grant_update(grant=grant, by=cast.worker, purpose="lain")


def test_tranches_never_add_up_to_more_than_approved(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_000_000, "BAST/001")
    with pytest.raises(ValidationError) as caught:
        disburse(cast, grant, 600_000, "BAST/002")
    assert messages_of(caught) == [
        "Rp 600.000 membuat jumlah pencairan menjadi Rp 2.600.000, lebih dari yang disetujui "
        "Rp 2.550.000. Paling banyak Rp 550.000 lagi yang dapat dicairkan."
    ]
    disburse(cast, grant, 550_000, "BAST/002")
    assert services.disbursed_total(grant) == grant.amount_approved
    assert [to for _, to in statuses(grant)][-2:] == ["disbursed", "disbursed"]


def test_disbursement_needs_approval(cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    with pytest.raises(ValidationError):
        disburse(cast, grant, 1_000)
    assert not grant.disbursements.exists()


def test_disbursement_is_received_by_the_chair_or_treasurer(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    member = planned_group.memberships.filter(role=Membership.Role.ANGGOTA).first()
    with pytest.raises(ValidationError) as caught:
        services.disbursement_record(
            grant=grant,
            by=cast.staff,
            date=datetime.date(2026, 9, 15),
            amount=Decimal(1000),
            method="cash",
            reference_number="X-1",
            received_by=member,
        )
    assert messages_of(caught) == ["Uang diterima oleh ketua atau bendahara kelompok."]


def test_reference_numbers_are_unique(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 1_000, "BAST/001")
    with pytest.raises(ValidationError) as caught:
        disburse(cast, grant, 1_000, "BAST/001")
    assert "Nomor bukti ini sudah tercatat" in messages_of(caught)[0]


def test_social_worker_cannot_disburse(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    cast.staff = cast.worker
    with pytest.raises(PermissionDenied):
        disburse(cast, grant, 1_000)


def test_accountability_needs_spending_with_receipts_covering_the_money(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000)
    receipt = services.document_upload(
        grant=grant, by=cast.worker, kind=Document.Kind.RECEIPT, file=png("kuitansi.png")
    )
    services.spending_line_add(
        grant=grant,
        by=cast.worker,
        description="Panci",
        spent_on=datetime.date(2026, 9, 20),
        actual_amount=Decimal(2_000_000),
        budget_line=planned_group.action_plan.budget_lines.first(),
        receipt=receipt,
    )
    services.spending_line_add(
        grant=grant,
        by=cast.worker,
        description="Kompor",
        spent_on=datetime.date(2026, 9, 20),
        actual_amount=Decimal(300_000),
    )
    with pytest.raises(ValidationError) as caught:
        services.grant_mark_accounted(grant=grant, by=cast.supervisor)
    assert messages_of(caught) == [
        "Pengeluaran yang dicatat (Rp 2.300.000) belum menutup Rp 2.550.000 yang diterima "
        "kelompok; Rp 250.000 belum dipertanggungjawabkan.",
        "Baris pengeluaran ini belum berkuitansi: Kompor.",
    ]


def test_full_life_of_a_grant_leaves_one_event_per_step(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000)
    spend(cast, grant, 2_550_000, "Panci dan kompor")
    with pytest.raises(PermissionDenied):
        services.grant_mark_accounted(grant=grant, by=cast.worker)
    services.grant_mark_accounted(grant=grant, by=cast.supervisor)
    services.monitoring_visit_record(
        grant=grant,
        by=cast.worker,
        visit_date=datetime.date(2026, 10, 30),
        business_status="running",
        monthly_revenue=Decimal(1_500_000),
        monthly_profit=Decimal(-100_000),
        active_members=9,
        photo_file=png(),
    )
    grant = services.grant_close(grant=grant, by=cast.supervisor, note="Usaha berjalan")

    assert [to for _, to in statuses(grant)] == [
        "draft",
        "submitted",
        "approved",
        "disbursed",
        "accounted",
        "closed",
    ]
    assert grant.visits.get().photo.kind == Document.Kind.PHOTO
    with pytest.raises(ValidationError):
        services.document_upload(grant=grant, by=cast.worker, kind="other", file=pdf())


@pytest.mark.parametrize(
    ("step", "allowed_from"),
    [
        ("mark_accounted", "disbursed"),
        ("close", "accounted"),
    ],
)
def test_late_steps_are_refused_from_earlier_states(cast, planned_group, step, allowed_from):
    grant = approved_grant(cast, planned_group)
    action = {
        "mark_accounted": services.grant_mark_accounted,
        "close": services.grant_close,
    }[step]
    with pytest.raises(ValidationError) as caught:
        action(grant=grant, by=cast.supervisor)
    assert caught.value.error_list[0].code == "wrong_status"


def test_monitoring_starts_after_disbursement(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    with pytest.raises(ValidationError) as caught:
        services.monitoring_visit_record(
            grant=grant,
            by=cast.worker,
            visit_date=datetime.date(2026, 10, 1),
            business_status="running",
            monthly_revenue=Decimal(0),
            monthly_profit=Decimal(0),
            active_members=10,
        )
    assert messages_of(caught) == ["Kunjungan monitoring dicatat setelah bantuan dicairkan."]


def test_grant_history_cannot_be_rewritten(cast, planned_group):
    grant = draft_grant(cast, planned_group, documents=False)
    event = grant.events.get()
    event.note = "diubah"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert GrantEvent.objects.get().note == ""


def test_the_grant_keeps_its_first_disbursement_and_last_visit_exact(cast, planned_group):
    from grants.models import MonitoringVisit

    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 1_000_000, reference="BAST/2", date=datetime.date(2026, 9, 20))
    disburse(cast, grant, 1_000_000, reference="BAST/1", date=datetime.date(2026, 9, 10))
    visits = [
        services.monitoring_visit_record(
            grant=grant,
            by=cast.worker,
            visit_date=day,
            business_status=status,
            monthly_revenue=Decimal(1),
            monthly_profit=Decimal(1),
            active_members=10,
        )
        for day, status in (
            (datetime.date(2026, 10, 1), MonitoringVisit.BusinessStatus.RUNNING),
            (datetime.date(2026, 11, 1), MonitoringVisit.BusinessStatus.STRUGGLING),
        )
    ]
    grant.refresh_from_db()
    assert grant.first_tranche_on == datetime.date(2026, 9, 10)
    assert grant.disbursed_amount == Decimal(2_000_000)
    assert grant.last_visit_on == datetime.date(2026, 11, 1)
    assert grant.last_visit_status == MonitoringVisit.BusinessStatus.STRUGGLING
    assert grant.last_visit_on == visits[1].visit_date


def test_the_households_reached_follow_every_change(cast, planned_group):
    """The programme page counts the households its capital reached from what is kept beside the
    grants: after every kind of change it is what counting every member's family card says."""
    from families.outcomes import outcomes_of
    from grants.models import HouseholdReach
    from participants import services as participant_services
    from participants.models import ParticipantGroup

    program = planned_group.program
    groups = ParticipantGroup.objects.filter(program=program)

    def kept():
        return set(
            HouseholdReach.objects.filter(program=program).values_list("kk_number", flat=True)
        )

    def current_cards():
        return set(planned_group.memberships.values_list("participant__kk_number", flat=True))

    def counted():
        direct = outcomes_of(groups).aid
        fast = outcomes_of(groups, whole_program=program).aid
        assert fast == direct  # the kept figure and the count from every member agree
        return direct[0][2] if direct else 0

    grant = approved_grant(cast, planned_group)
    assert kept() == set() and counted() == 0
    members = list(planned_group.memberships.select_related("participant"))
    cards = {m.participant.kk_number for m in members}
    disburse(cast, grant, 1_000_000)
    assert kept() == cards and counted() == len(cards) == 10

    # Two members turn out to share a family card: one household less.
    second = members[1].participant
    second.kk_number = members[0].participant.kk_number
    participant_services.participant_save(participant=second, by=cast.staff)
    assert kept() == current_cards() and len(kept()) == 9
    assert counted() == 9

    participant_services.membership_remove(membership=members[5])
    assert kept() == current_cards() and counted() == 8

    old_card = members[6].participant.kk_number
    participant_services.participant_anonymise(participant=members[6].participant)
    assert old_card not in kept()
    assert kept() == current_cards() and counted() == 8
