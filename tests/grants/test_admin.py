import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import ActionPlan
from grants.models import Grant
from metro_slum import figures, roles
from tests.cast import (
    approved_grant,
    disburse,
    draft_grant,
    ready_group,
    submitted_grant,
)
from tests.factories import GroupFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def bulk_grants(count, program):
    """Grants straight into the table: the changelist's query count is what is measured."""
    groups = [GroupFactory(program=program) for _ in range(count)]
    plans = ActionPlan.objects.bulk_create(ActionPlan(group=g, goal="x") for g in groups)
    grants = Grant.objects.bulk_create(
        Grant(
            group=g,
            program=program,
            action_plan=p,
            amount_requested=Decimal(1_000_000),
            purpose="x",
            status=Grant.Status.SUBMITTED,
        )
        for g, p in zip(groups, plans, strict=True)
    )
    figures.changed(grants=[grant.pk for grant in grants])


def test_desk_runs_the_same_queries_for_5_and_200_grants(client, cast):
    client.force_login(cast.supervisor)
    program = ProgramFactory(total_budget=Decimal(10**12), grant_ceiling_per_group=Decimal(10**9))
    url = reverse("admin:grants_grant_changelist")
    bulk_grants(5, program)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    bulk_grants(195, program)
    with CaptureQueriesContext(connection) as two_hundred:
        response = client.get(url)
    assert len(two_hundred) == len(five)
    assert response.context["cl"].result_count == 200


def test_desk_shows_amounts_badges_and_totals_of_the_filtered_rows(client, cast, hadimulyo_barat):
    first = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    disburse(cast, first, 1_000_000)
    submitted_grant(cast, ready_group(cast, hadimulyo_barat))
    client.force_login(cast.supervisor)

    html = client.get(reverse("admin:grants_grant_changelist")).content.decode()
    assert "Rp 2.550.000" in html
    assert "Dicairkan" in html and "Diajukan, menunggu keputusan" in html
    assert "diajukan: <strong>Rp 5.100.000</strong>" in html
    assert "disetujui: <strong>Rp 2.550.000</strong>" in html
    assert "dicairkan: <strong>Rp 1.000.000</strong>" in html

    filtered = client.get(
        reverse("admin:grants_grant_changelist"), {"status__exact": "submitted"}
    ).content.decode()
    assert "diajukan: <strong>Rp 2.550.000</strong>" in filtered
    assert "dicairkan: <strong>Rp 0</strong>" in filtered


def test_approve_action_asks_for_confirmation_then_reports_each_grant(
    client, cast, hadimulyo_barat
):
    good = submitted_grant(cast, ready_group(cast, hadimulyo_barat))
    draft = draft_grant(cast, ready_group(cast, hadimulyo_barat))
    client.force_login(cast.supervisor)
    url = reverse("admin:grants_grant_changelist")
    selection = {"action": "approve_selected", "_selected_action": [good.pk, draft.pk]}

    confirm_page = client.post(url, selection)
    assert confirm_page.status_code == 200
    assert "Setujui bantuan" in confirm_page.content.decode()
    good.refresh_from_db()
    assert good.status == Grant.Status.SUBMITTED

    response = client.post(url, {**selection, "confirm": "yes", "note": "Lengkap"}, follow=True)
    html = response.content.decode()
    assert f"{good.group.name}: Disetujui, menunggu pencairan." in html
    assert f"{draft.group.name}: Langkah ini tidak dapat dilakukan" in html
    good.refresh_from_db()
    draft.refresh_from_db()
    assert (good.status, draft.status) == (Grant.Status.APPROVED, Grant.Status.DRAFT)
    assert good.events.last().note == "Lengkap"


def test_reject_action_needs_the_reason(client, cast, hadimulyo_barat):
    grant = submitted_grant(cast, ready_group(cast, hadimulyo_barat))
    client.force_login(cast.supervisor)
    url = reverse("admin:grants_grant_changelist")
    selection = {"action": "reject_selected", "_selected_action": [grant.pk], "confirm": "yes"}

    refused = client.post(url, {**selection, "note": ""})
    html = refused.content.decode()
    # The confirmation page again, the selection kept, with what to put right.
    assert refused.status_code == 200
    assert "Belum ada yang diubah" in html and "Tulis alasan penolakan" in html
    assert f'name="_selected_action" value="{grant.pk}"' in html
    assert 'value="reject_selected"' in html
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED

    client.post(url, {**selection, "note": "RAB belum wajar"})
    grant.refresh_from_db()
    assert (grant.status, grant.rejection_reason) == (Grant.Status.REJECTED, "RAB belum wajar")


def test_staff_cannot_decide_from_the_desk(client, cast, hadimulyo_barat):
    grant = submitted_grant(cast, ready_group(cast, hadimulyo_barat))
    client.force_login(cast.staff)
    desk = client.get(reverse("admin:grants_grant_changelist"))
    offered = {value for value, _label in desk.context["action_form"].fields["action"].choices}
    assert "approve_selected" not in offered and "export_xlsx" in offered
    # Posted anyway, the action is not there to take: nothing is decided.
    response = client.post(
        reverse("admin:grants_grant_changelist"),
        {"action": "approve_selected", "_selected_action": [grant.pk], "confirm": "yes"},
    )
    assert response.status_code in (302, 403)
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED


def test_grant_page_shows_the_document_checklist_and_read_only_history(
    client, cast, hadimulyo_barat
):
    grant = draft_grant(cast, ready_group(cast, hadimulyo_barat), documents=False)
    client.force_login(cast.supervisor)
    html = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    assert "Belum ada:</strong> Proposal, Rencana anggaran biaya (RAB)" in html
    assert 'name="events-0-note"' not in html  # the history is not editable


def test_staff_record_a_tranche_in_admin(client, cast, hadimulyo_barat):
    grant = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    treasurer = grant.group.memberships.get(role="treasurer")
    client.force_login(cast.staff)
    data = {
        "grant": grant.pk,
        "date": "2026-09-15",
        "amount": "3000000",
        "method": "transfer",
        "reference_number": "BAST/2026/001",
        "received_by": treasurer.pk,
    }
    over = client.post(reverse("admin:grants_disbursement_add"), data)
    assert "lebih dari yang disetujui Rp 2.550.000" in over.content.decode()
    assert not grant.disbursements.exists()

    data["amount"] = "2550000"
    response = client.post(reverse("admin:grants_disbursement_add"), data)
    # Back on the grant the tranche belongs to, not on the list of every tranche.
    assert response.status_code == 302
    assert response.url == reverse("admin:grants_grant_change", args=[grant.pk])
    grant.refresh_from_db()
    assert grant.status == Grant.Status.DISBURSED
    assert grant.disbursements.get().handed_over_by == cast.staff


def test_the_next_tranche_is_offered_as_what_is_left(client, cast, hadimulyo_barat):
    grant = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    disburse(cast, grant, 1_000_000)
    client.force_login(cast.staff)
    page = client.get(reverse("admin:grants_disbursement_add") + f"?grant={grant.pk}")
    assert page.context["adminform"].form.initial["amount"] == Decimal(1_550_000)
    assert 'value="1550000"' in page.text


def test_the_read_only_grant_page_reads_as_a_supervisor_expects(client, cast, hadimulyo_barat):
    grant = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    head = UserFactory(username="kadis", is_staff=True, roles=[roles.HEAD_OF_OFFICE])
    client.force_login(head)
    page = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).text
    # Its budget line by line; no "Tutup" that reads like closing the grant; empty sections say
    # so; the breadcrumb names the section, then the list.
    lines = page.split('class="rab-lines"')[1].split("</table>")[0]
    for line in grant.action_plan.budget_lines.all():
        assert line.item in lines
    assert 'class="closelink">Kembali ke daftar bantuan<' in page
    assert ">Tutup<" not in page
    assert "Belum ada." in page.split('id="visits-group"')[1].split("</fieldset>")[0]
    crumbs = page.split('class="breadcrumbs"')[1].split("</div>")[0]
    assert "Modal usaha: keputusan dan dana" in crumbs


def test_grant_list_exports_with_amounts_as_rupiah_numbers(client, cast, hadimulyo_barat):
    grant = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    disburse(cast, grant, 1_000_000)
    client.force_login(cast.supervisor)
    response = client.post(
        reverse("admin:grants_grant_changelist"),
        {"action": "export_xlsx", "_selected_action": [grant.pk]},
    )
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws["A1"].value == "Daftar Bantuan Modal Usaha"
    row = next(ws.iter_rows(min_row=5))
    assert [c.value for c in row[6:10]] == [2_550_000, 2_550_000, 1_000_000, "Dicairkan"]
    assert row[6].number_format == '"Rp" #,##0'


def test_the_action_button_reads_run_and_login_errors_say_it_once(client, cast, hadimulyo_barat):
    submitted_grant(cast, ready_group(cast, hadimulyo_barat))
    client.force_login(cast.supervisor)
    html = client.get(reverse("admin:grants_grant_changelist")).content.decode()
    assert ">Jalankan</button>" in html
    client.logout()
    page = client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong-pass"})
    text = page.content.decode()
    assert "Nama pengguna atau kata sandi salah" in text
    assert "nama pengguna nama pengguna" not in text.lower()


def test_detail_pages_show_amounts_and_quantities_as_people_write_them(
    client, cast, hadimulyo_barat
):
    from assessments.services import BudgetLineInput

    group = ready_group(
        cast,
        hadimulyo_barat,
        plan_lines=[
            BudgetLineInput("Botol plastik 250 ml", Decimal("2000"), "buah", Decimal("1500")),
            BudgetLineInput("Bahan baku", Decimal("1.5"), "paket", Decimal("4000000")),
        ],
    )
    grant = approved_grant(cast, group)
    tranche = disburse(cast, grant, 2_550_000)
    client.force_login(cast.supervisor)
    page = client.get(reverse("admin:grants_disbursement_change", args=[tranche.pk]))
    html = page.content.decode()
    assert html.count("Rp 2.550.000") == 1 and "2550000" not in html
    plan = client.get(reverse("admin:assessments_actionplan_change", args=[group.action_plan.pk]))
    html = plan.content.decode()
    assert "2.000" in html and "1,5" in html and "2000,00" not in html and "1,50" not in html
    assert "Rp 6.000.000" in html  # 1,5 × Rp 4.000.000
