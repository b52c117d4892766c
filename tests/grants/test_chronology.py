"""Dates in order, by one rule set (metro_slum.chronology) that every path asks."""

import datetime
import importlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import Disbursement, Grant, MonitoringVisit, SpendingLine
from metro_slum import figures
from participants import services as participant_services
from participants.models import Membership, Program
from tests.assessments.helpers import save_assessment
from tests.cast import approved_grant, disburse, pdf, submitted_grant
from tests.factories import GroupFactory, ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_tranche_before_the_approval_is_refused_naming_both_dates(cast, planned_group):
    grant = approved_grant(cast, planned_group)  # approved on 01/09/2026
    with pytest.raises(ValidationError) as caught:
        disburse(cast, grant, 1_000_000, date=datetime.date(2026, 8, 20))
    assert caught.value.messages == [
        "Tanggal pencairan 20/08/2026 sebelum bantuan disetujui pada 01/09/2026. Dana "
        "diserahkan hanya setelah bantuan disetujui: periksa tanggalnya."
    ]
    assert not Disbursement.objects.exists()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.APPROVED


def test_a_tranche_in_the_future_is_refused(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        disburse(cast, grant, 1_000_000, date=tomorrow)
    assert f"Tanggal pencairan {tomorrow:%d/%m/%Y} belum tiba" in caught.value.messages[0]


def test_the_admin_refuses_a_tranche_before_the_approval_on_its_form(client, cast, planned_group):
    grant = approved_grant(cast, planned_group)
    treasurer = planned_group.memberships.get(role=Membership.Role.BENDAHARA)
    client.force_login(cast.staff)
    response = client.post(
        reverse("admin:grants_disbursement_add"),
        {
            "grant": grant.pk,
            "date": "15/08/2026",
            "amount": "1000000",
            "method": Disbursement.Method.TRANSFER,
            "reference_number": "BAST/ADM/1",
            "received_by": treasurer.pk,
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "Tanggal pencairan 15/08/2026 sebelum bantuan disetujui pada 01/09/2026" in (
        response.content.decode()
    )
    assert not Disbursement.objects.exists()


def test_an_assessment_before_its_programme_began_is_refused(hadimulyo_barat):
    group = GroupFactory(kelurahan=hadimulyo_barat)
    with pytest.raises(ValidationError) as caught:
        save_assessment(group, start_date=datetime.date(2026, 6, 28))
    assert caught.value.messages == [
        "Tanggal mulai asesmen 28/06/2026 sebelum program dimulai pada 01/07/2026. Periksa "
        "tanggalnya, atau periode program bersama staf administrasi."
    ]


def test_a_receipt_before_the_first_tranche_is_an_advance_with_its_reason(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_000_000, date=datetime.date(2026, 9, 15))
    receipt = services.document_upload(grant=grant, by=cast.worker, kind="receipt", file=pdf())
    line = {
        "grant": grant,
        "by": cast.worker,
        "description": "Panci",
        "spent_on": datetime.date(2026, 9, 10),
        "actual_amount": Decimal(500_000),
        "receipt": receipt,
    }
    with pytest.raises(ValidationError) as caught:
        services.spending_line_add(**line)
    assert caught.value.message_dict["spent_on"][0].startswith(
        "Tanggal kuitansi 10/09/2026 sebelum pencairan pertama pada 15/09/2026."
    )
    with pytest.raises(ValidationError) as caught:
        services.spending_line_add(**line, is_advance=True)
    assert "advance_reason" in caught.value.message_dict
    services.spending_line_add(
        **line, is_advance=True, advance_reason="Dibayar bendahara, diganti dari tahap 1"
    )
    assert SpendingLine.objects.get().is_advance


def test_a_visit_before_the_money_is_refused(cast, planned_group):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_000_000, date=datetime.date(2026, 9, 15))
    with pytest.raises(ValidationError) as caught:
        services.monitoring_visit_record(
            grant=grant,
            by=cast.worker,
            visit_date=datetime.date(2026, 9, 1),
            business_status=MonitoringVisit.BusinessStatus.RUNNING,
            monthly_revenue=Decimal(1),
            monthly_profit=Decimal(1),
            active_members=10,
        )
    assert caught.value.message_dict["visit_date"][0].startswith(
        "Tanggal kunjungan 01/09/2026 sebelum pencairan pertama pada 15/09/2026."
    )
    assert not MonitoringVisit.objects.exists()


def test_a_grant_cannot_be_proposed_after_its_programme_ended(cast, planned_group):
    Program.objects.filter(pk=planned_group.program_id).update(end_date=datetime.date(2026, 11, 30))
    planned_group.program.refresh_from_db()
    late = timezone.make_aware(datetime.datetime(2026, 12, 1, 9))
    with pytest.raises(ValidationError) as caught:
        submitted_grant(cast, planned_group, at=late)
    assert (
        "Tanggal pengajuan 01/12/2026 sesudah program berakhir pada 30/11/2026."
        in caught.value.messages[0]
    )
    assert Grant.objects.get().status == Grant.Status.DRAFT


def test_a_member_joins_a_programme_not_begun_yet_on_its_first_day(hadimulyo_barat):
    start = timezone.localdate() + datetime.timedelta(days=30)
    program = ProgramFactory(start_date=start, end_date=start + datetime.timedelta(days=200))
    group = GroupFactory(kelurahan=hadimulyo_barat, program=program)
    person = ParticipantFactory(kelurahan=hadimulyo_barat)
    member = participant_services.membership_add(group=group, participant=person, role="chair")
    assert member.joined_on == start
    with pytest.raises(ValidationError) as caught:
        participant_services.membership_add(
            group=group,
            participant=ParticipantFactory(kelurahan=hadimulyo_barat),
            role="member",
            joined_on=start + datetime.timedelta(days=201),
        )
    assert "Tanggal bergabung" in str(caught.value) and "sesudah program berakhir" in str(
        caught.value
    )


def test_stored_records_out_of_order_are_listed_not_changed(client, cast, planned_group):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 1_000_000, date=datetime.date(2026, 9, 15))
    # A record from before the rules (or written around them): listed, never changed.
    Disbursement.objects.update(date=datetime.date(2026, 8, 1))
    figures.changed(grants=Disbursement.objects.values_list("grant_id", flat=True))
    out = StringIO()
    call_command("check_dates", stdout=out)
    text = out.getvalue()
    assert "Tanggal pencairan 01/08/2026 sebelum bantuan disetujui pada 01/09/2026" in text
    assert planned_group.name in text
    assert "1 catatan dengan tanggal tidak berurutan." in text
    assert Disbursement.objects.get().date == datetime.date(2026, 8, 1)

    client.force_login(cast.supervisor)
    desk = client.get(reverse("admin:grants_grant_changelist"), {"tanggal": "tidak_urut"})
    assert desk.status_code == 200
    assert planned_group.name in desk.content.decode()
    page = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    assert "Tanggal tidak berurutan:" in page
    assert "sebelum bantuan disetujui pada 01/09/2026" in page


def test_the_desk_filter_leaves_out_grants_in_order(client, cast, planned_group):
    approved_grant(cast, planned_group)
    client.force_login(cast.supervisor)
    desk = client.get(reverse("admin:grants_grant_changelist"), {"tanggal": "tidak_urut"})
    assert planned_group.name not in desk.content.decode()


def test_the_demo_breaks_no_rule(demo):
    out = StringIO()
    call_command("check_dates", stdout=out)
    assert out.getvalue().strip() == "Semua tanggal catatan berurutan."


def test_handover_minutes_of_a_tranche_out_of_order_say_so_on_screen(client, cast, planned_group):
    grant = approved_grant(cast, planned_group)
    tranche = disburse(cast, grant, 1_000_000, date=datetime.date(2026, 9, 15))
    client.force_login(cast.staff)
    url = reverse("grants:handover", args=[tranche.pk])
    assert "Tanggal tidak berurutan" not in client.get(url).content.decode()
    Disbursement.objects.update(date=datetime.date(2026, 8, 1))
    figures.changed(grants=Disbursement.objects.values_list("grant_id", flat=True))
    html = client.get(url).content.decode()
    assert 'class="noprint peringatan"' in html
    assert "Tanggal pencairan 01/08/2026 sebelum bantuan disetujui pada 01/09/2026" in html


def test_the_migrations_date_existing_follow_ups_and_clear_a_resubmitted_decision(
    cast, planned_group
):
    """Run on the current models as on the historical ones: what they write is what a reader of
    the rules needs, so that stored records do not all look out of order."""
    from django.apps import apps

    from families import services as family_services
    from families.models import FollowUp

    follow_up = family_services.follow_up_create(
        group=planned_group,
        by=cast.worker,
        need="KTP hilang",
        scope=FollowUp.Scope.GROUP,
        service=FollowUp.Service.IDENTITY,
        category="social",
        due_date=datetime.date(2026, 12, 31),
        on=datetime.date(2026, 9, 1),
    )
    FollowUp.objects.update(opened_on=datetime.date(2026, 12, 1))  # the field's default when added
    importlib.import_module("families.migrations.0003_followup_opened_on").opened_from_first_step(
        apps, None
    )
    follow_up.refresh_from_db()
    assert follow_up.opened_on == datetime.date(2026, 9, 1)

    grant = submitted_grant(cast, planned_group)
    Grant.objects.filter(pk=grant.pk).update(
        decided_at=timezone.make_aware(datetime.datetime(2026, 8, 1, 9)), decided_by=cast.supervisor
    )
    importlib.import_module(
        "grants.migrations.0009_spendingline_advance"
    ).resubmitted_wait_for_a_decision(apps, None)
    figures.changed(grants=[grant.pk])  # as after every migration that writes grants (0011)
    grant.refresh_from_db()
    assert (grant.decided_at, grant.decided_by) == (None, None)


def test_the_desk_reads_each_table_once_and_finds_what_each_rule_finds(cast, hadimulyo_barat):
    from assessments.models import NeedsAssessment
    from metro_slum import chronology
    from participants.models import Participant
    from tests.cast import ready_group, spend

    groups = [ready_group(cast, hadimulyo_barat) for _ in range(4)]
    grants = [approved_grant(cast, g) for g in groups[:3]]
    for number, grant in enumerate(grants):
        disburse(cast, grant, 1_000_000, f"T-{number}", date=datetime.date(2026, 9, 15))
    spend(cast, grants[2], 500_000)
    # Stored around the rules: a tranche before the approval, a receipt before the money, an
    # assessment before the programme, a birth date to come; the fourth group is in order.
    Disbursement.objects.filter(grant=grants[0]).update(date=datetime.date(2026, 8, 1))
    figures.changed(grants=[grants[0].pk])
    SpendingLine.objects.filter(grant=grants[2]).update(spent_on=datetime.date(2026, 9, 1))
    NeedsAssessment.objects.filter(group=groups[1]).update(start_date=datetime.date(2026, 6, 1))
    person = groups[3].memberships.first().participant
    Participant.objects.filter(pk=person.pk).update(birth_date=datetime.date(2099, 1, 1))

    each = set()
    for rule in chronology.RULES:
        each |= set(chronology.breaking(rule).values_list(rule.group, flat=True))
    assert each == {g.pk for g in groups}
    assert chronology.breaching_group_ids() == each
