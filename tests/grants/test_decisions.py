"""A supervisor's steps from the grant's portal page and from admin: approve (amount editable),
reject with a reason, accept the LPJ, close with a note; the RAB and the requested amount."""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services as assessment_services
from assessments.services import BudgetLineInput
from grants import services
from grants.models import Grant
from metro_slum import figures
from tests.assessments.helpers import save_assessment, save_plan
from tests.cast import (
    approved_grant,
    disburse,
    draft_grant,
    ready_group,
    spend,
    submitted_grant,
)
from tests.conftest import fill_group
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def decide(client, group, step, **data):
    url = reverse("grants:decide", args=[group.pk, step])
    return client.post(url, {f"{step}-{k}": v for k, v in data.items()}, follow=True)


@pytest.fixture
def supervisor_client(client, cast):
    client.force_login(cast.supervisor)
    return client


def accounted(cast, group):
    grant = approved_grant(cast, group)
    disburse(cast, grant, 2_550_000, "T-1")
    spend(cast, grant, 2_550_000)
    return grant


def test_supervisor_sees_the_buttons_the_table_allows(supervisor_client, cast, planned_group):
    submitted_grant(cast, planned_group)
    page = supervisor_client.get(reverse("grants:grant", args=[planned_group.pk]))
    assert [step.name for step, _form in page.context["decisions"]] == ["approve", "reject"]
    html = page.content.decode()
    assert 'data-step="approve"' in html and 'data-step="accept_accountability"' not in html


def test_supervisor_approves_a_lower_amount_from_the_portal(supervisor_client, cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    response = decide(
        supervisor_client, planned_group, "approve", amount="2000000", note="Dikurangi"
    )
    shown = html.unescape(response.content.decode())
    assert "Selesai: bantuan sekarang 'Disetujui, menunggu pencairan'." in shown
    grant.refresh_from_db()
    assert (grant.status, grant.amount_approved) == (Grant.Status.APPROVED, Decimal(2_000_000))
    assert grant.events.last().note == "Dikurangi"


def test_an_amount_over_the_ceiling_is_refused_and_nothing_changes(
    supervisor_client, cast, planned_group
):
    grant = submitted_grant(cast, planned_group)
    response = decide(supervisor_client, planned_group, "approve", amount="25000000")
    assert "melebihi plafon" in response.content.decode()
    grant.refresh_from_db()
    assert (grant.status, grant.amount_approved) == (Grant.Status.SUBMITTED, None)


def test_rejecting_needs_a_reason(supervisor_client, cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    refused = decide(supervisor_client, planned_group, "reject", note="  ")
    assert "Tulis alasan penolakan" in refused.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED
    decide(supervisor_client, planned_group, "reject", note="Harga tidak wajar")
    grant.refresh_from_db()
    assert (grant.status, grant.rejection_reason) == (Grant.Status.REJECTED, "Harga tidak wajar")


def test_supervisor_accepts_the_lpj_and_closes_from_the_portal(
    supervisor_client, cast, planned_group
):
    grant = accounted(cast, planned_group)
    page = supervisor_client.get(reverse("grants:grant", args=[planned_group.pk])).content.decode()
    assert "Belanja yang dicatat dengan kuitansi sudah menutup dana yang diterima." in page

    decide(supervisor_client, planned_group, "accept_accountability", note="Lengkap")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACCOUNTED
    decide(supervisor_client, planned_group, "close", note="Usaha mandiri")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CLOSED
    assert list(grant.events.values_list("to_status", "note"))[-2:] == [
        ("accounted", "Lengkap"),
        ("closed", "Usaha mandiri"),
    ]


def test_lpj_short_of_the_money_is_refused_with_the_gap(supervisor_client, cast, planned_group):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000, "T-1")
    spend(cast, grant, 2_000_000)
    page = supervisor_client.get(reverse("grants:grant", args=[planned_group.pk])).content.decode()
    assert "Rp 550.000 belum dipertanggungjawabkan" in page
    response = decide(supervisor_client, planned_group, "accept_accountability")
    assert "Rp 550.000 belum dipertanggungjawabkan" in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.DISBURSED


def test_a_double_click_on_close_makes_one_event(supervisor_client, cast, planned_group):
    grant = accounted(cast, planned_group)
    services.grant_mark_accounted(grant=grant, by=cast.supervisor)
    decide(supervisor_client, planned_group, "close")
    second = decide(supervisor_client, planned_group, "close")
    assert "Langkah ini tidak dapat dilakukan" in second.content.decode()
    assert grant.events.filter(to_status="closed").count() == 1


def test_the_social_worker_cannot_take_a_supervisors_step(worker_client, cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    assert decide(worker_client, planned_group, "approve").status_code == 403
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED


def test_steps_are_posted_not_fetched_and_unknown_steps_are_not_found(
    supervisor_client, cast, planned_group
):
    submitted_grant(cast, planned_group)
    assert (
        supervisor_client.get(
            reverse("grants:decide", args=[planned_group.pk, "approve"])
        ).status_code
        == 405
    )
    assert decide(supervisor_client, planned_group, "submit").status_code == 404
    assert decide(supervisor_client, planned_group, "hapus").status_code == 404


# Admin ------------------------------------------------------------------------------------


def test_admin_actions_accept_the_lpj_and_close(client, cast, planned_group):
    grant = accounted(cast, planned_group)
    client.force_login(cast.supervisor)
    url = reverse("admin:grants_grant_changelist")
    selection = {"_selected_action": [grant.pk]}
    confirm = client.post(url, {**selection, "action": "accept_accountability_selected"})
    assert "Terima laporan pertanggungjawaban (LPJ)" in confirm.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.DISBURSED

    client.post(url, {**selection, "action": "accept_accountability_selected", "confirm": "yes"})
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACCOUNTED
    done = client.post(
        url,
        {**selection, "action": "close_selected", "confirm": "yes", "note": "Selesai"},
        follow=True,
    )
    assert f"{planned_group.name}: Selesai." in done.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CLOSED


def test_grant_admin_page_offers_the_allowed_steps_and_returns_there(client, cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    client.force_login(cast.supervisor)
    change = reverse("admin:grants_grant_change", args=[grant.pk])
    html = client.get(change).content.decode()
    assert 'data-step="approve"' in html and 'data-step="reject"' in html
    assert 'data-step="close"' not in html

    response = client.post(
        reverse("admin:grants_grant_changelist"),
        {
            "action": "approve_selected",
            "_selected_action": [grant.pk],
            "confirm": "yes",
            "amount": "2500000",
            "next": change,
        },
    )
    assert response.status_code == 302 and response["Location"] == change
    grant.refresh_from_db()
    assert (grant.status, grant.amount_approved) == (Grant.Status.APPROVED, Decimal(2_500_000))


def test_grant_admin_history_shows_the_grant_events(client, cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    client.force_login(cast.supervisor)
    html = client.get(reverse("admin:grants_grant_history", args=[grant.pk])).content.decode()
    assert 'id="grant-events"' in html
    assert "Diajukan, menunggu keputusan" in html and "pekerja" in html


def test_grant_admin_shows_rupiah_and_the_rab_beside_the_request(client, cast, planned_group):
    grant = submitted_grant(cast, planned_group)
    client.force_login(cast.supervisor)
    html = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    assert "Rp 2.550.000" in html
    assert "berbeda dari jumlah yang diajukan" not in html
    Grant.objects.filter(pk=grant.pk).update(amount_requested=Decimal(2_000_000))
    figures.changed(grants=[grant.pk])
    html = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    assert "berbeda dari jumlah yang diajukan" in html


def test_totals_on_the_desk_leave_out_rejected_requests(
    client, cast, planned_group, hadimulyo_barat
):
    services.grant_reject(
        grant=submitted_grant(cast, planned_group), by=cast.supervisor, reason="Tidak"
    )
    submitted_grant(cast, ready_group(cast, hadimulyo_barat))
    client.force_login(cast.supervisor)
    html = client.get(reverse("admin:grants_grant_changelist")).content.decode()
    assert "diajukan: <strong>Rp 2.550.000</strong>" in html


# The requested amount and the RAB -----------------------------------------------------------


def test_a_draft_grant_follows_the_rab_when_the_plan_changes(cast, hadimulyo_barat):
    group = ready_group(cast, hadimulyo_barat)
    grant = draft_grant(cast, group)
    assert grant.amount_requested == Decimal(2_550_000)
    plan = group.action_plan
    plan.status = plan.Status.RETURNED
    plan.save()
    save_plan(group, lines=[BudgetLineInput("Panci", Decimal(4), "unit", Decimal(850_000))])
    grant.refresh_from_db()
    assert grant.amount_requested == Decimal(3_400_000)


def test_a_submitted_grant_keeps_its_amount_and_its_page_says_the_rab_changed(
    worker_client, cast, planned_group
):
    grant = submitted_grant(cast, planned_group)
    plan = planned_group.action_plan
    plan.status = plan.Status.RETURNED
    plan.save()
    save_plan(planned_group, lines=[BudgetLineInput("Panci", Decimal(4), "unit", Decimal(850_000))])
    grant.refresh_from_db()
    assert grant.amount_requested == Decimal(2_550_000)
    html = worker_client.get(reverse("grants:grant", args=[planned_group.pk])).content.decode()
    assert 'id="rab-differs"' in html
    assert "Rp 3.400.000" in html


def test_an_assessment_of_an_incomplete_group_cannot_be_submitted(cast, hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat)
    fill_group(group, 1)
    save_assessment(group)
    with pytest.raises(ValidationError) as caught:
        assessment_services.assessment_submit(group=group, by=cast.worker)
    assert caught.value.messages[0] == (
        "Kelompok belum lengkap: 1 dari 10 anggota, perlu 9 lagi; belum ada Sekretaris; "
        "belum ada Bendahara. Lengkapi kelompok terlebih dahulu."
    )
    group.needs_assessment.refresh_from_db()
    assert group.needs_assessment.status == "draft"


def test_a_recorded_tranche_reads_in_rupiah_in_admin(client, cast, planned_group):
    grant = approved_grant(cast, planned_group)
    tranche = disburse(cast, grant, 1_250_000, "T-9")
    client.force_login(cast.staff)
    page = client.get(reverse("admin:grants_disbursement_change", args=[tranche.pk]))
    assert page.status_code == 200
    assert "Rp 1.250.000" in page.content.decode()
