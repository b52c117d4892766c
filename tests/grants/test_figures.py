"""The grant figures kept per programme and kelurahan: after every kind of change they are what
counting the grants, tranches, spending lines and visits themselves says, and the dashboard's
totals read from them equal the totals counted the long way."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from assessments.models import BudgetLine
from grants import services
from grants.models import Disbursement, Grant, MonitoringVisit, PlaceGrantCount, SpendingLine
from metro_slum import figures
from programme import selectors
from tests.cast import (
    Cast,
    approved_grant,
    assert_kept_as_counted,
    disburse,
    draft_grant,
    ready_group,
    spend,
    submitted_grant,
    totals_of,
)
from tests.factories import _kelurahan

pytestmark = pytest.mark.django_db


def counted_the_long_way(program):
    """The programme's totals from every grant, tranche, spending line and visit."""
    grants = Grant.objects.filter(group__program=program)
    revenue = {}
    for visit in MonitoringVisit.objects.filter(grant__in=grants).order_by("visit_date", "pk"):
        revenue[(visit.visit_date.strftime("%m/%Y"), visit.grant_id)] = visit.monthly_revenue
    months = Counter()
    for (month, _grant), amount in revenue.items():
        months[month] += amount
    disbursed = Disbursement.objects.filter(grant__in=grants)
    return {
        "by_status": Counter(grants.values_list("status", flat=True)),
        "disbursed": sum(d.amount for d in disbursed),
        "funded": len({d.grant_id for d in disbursed}),
        "accounted": sum(s.actual_amount for s in SpendingLine.objects.filter(grant__in=grants)),
        "approved": sum(
            g.amount_approved for g in grants if g.status in selectors.COMMITTED_STATUSES
        ),
        "requested": sum(
            g.amount_requested for g in grants if g.status in selectors.REQUESTED_STATUSES
        ),
        "revenue": sorted(months.items(), key=lambda item: item[0][3:] + item[0][:2]),
    }


def visit(cast, grant, day, revenue, status=MonitoringVisit.BusinessStatus.RUNNING):
    return services.monitoring_visit_record(
        grant=grant,
        by=cast.worker,
        visit_date=day,
        business_status=status,
        monthly_revenue=Decimal(revenue),
        monthly_profit=Decimal(1),
        active_members=10,
    )


def test_the_kept_figures_follow_every_change(hadimulyo_barat):
    yosodadi = _kelurahan("1872021003")
    cast = Cast(hadimulyo_barat)
    cast.worker.kelurahan_assignments.create(kelurahan=yosodadi)
    first = ready_group(cast, hadimulyo_barat)
    program = first.program
    second = ready_group(cast, hadimulyo_barat, program=program)
    third = ready_group(cast, yosodadi, program=program)

    def check():
        assert_kept_as_counted()
        assert totals_of(program) == counted_the_long_way(program)

    funded = approved_grant(cast, first)
    check()
    disburse(cast, funded, 1_000_000)
    spending = spend(cast, funded, 400_000)
    visit(cast, funded, datetime.date(2026, 10, 3), 750_000)
    visit(cast, funded, datetime.date(2026, 10, 20), 900_000)  # the month's later visit counts
    struggling = MonitoringVisit.BusinessStatus.STRUGGLING
    visit(cast, funded, datetime.date(2026, 11, 5), 1_100_000, struggling)
    check()
    assert totals_of(program)["revenue"] == [("10/2026", 900_000), ("11/2026", 1_100_000)]
    assert totals_of(program)["by_status"] == {Grant.Status.DISBURSED: 1}

    refused = services.grant_reject(
        grant=submitted_grant(cast, second), by=cast.supervisor, reason="RAB belum rinci"
    )
    check()
    draft = draft_grant(cast, third)
    # The draft's request follows its RAB (the plan's budget saved again): so do the figures.
    line = BudgetLine.objects.filter(plan=draft.action_plan).first()
    BudgetLine.objects.filter(plan=draft.action_plan).exclude(pk=line.pk).delete()
    BudgetLine.objects.filter(pk=line.pk).update(line_total=Decimal(1_200_000))
    figures.changed(plans=[draft.action_plan_id])  # as saving the plan does
    draft.refresh_from_db()
    assert draft.amount_requested == Decimal(1_200_000)
    check()

    # Each kelurahan's figures hold its own groups' grants.
    drafts = PlaceGrantCount.objects.filter(status=Grant.Status.DRAFT)
    assert [(c.place.kelurahan, c.grants) for c in drafts] == [(yosodadi, 1)]
    assert set(PlaceGrantCount.objects.values_list("place__kelurahan", flat=True)) == {
        hadimulyo_barat.pk,
        yosodadi.pk,
    }

    # Grants, their tranches, visits and spending lines are never deleted (their events and
    # documents are kept): only the roster, the money and the places change.
    assert spending.actual_amount == 400_000
    assert totals_of(program)["by_status"] == {
        Grant.Status.DISBURSED: 1,
        Grant.Status.REJECTED: 1,
        Grant.Status.DRAFT: 1,
    }
    assert refused.status == Grant.Status.REJECTED


def test_a_bulk_change_recounts_its_place_once_on_the_way_out(hadimulyo_barat):
    """Inside figures.deferred() the figures wait; on the way out each is recounted once, and
    they are what a recount of the rows says."""
    cast = Cast(hadimulyo_barat)
    first = ready_group(cast, hadimulyo_barat)
    program = first.program
    grants = [
        approved_grant(cast, group)
        for group in (first, ready_group(cast, hadimulyo_barat, program=program))
    ]
    before = totals_of(program)
    with figures.deferred():
        with figures.deferred():  # a block inside another leaves it to the outer one
            disburse(cast, grants[0], 1_000_000, "B-1")
        disburse(cast, grants[1], 500_000, "B-2")
        assert totals_of(program) == before  # not yet recounted
    assert totals_of(program)["disbursed"] == 1_500_000
    assert totals_of(program)["by_status"] == {Grant.Status.DISBURSED: 2}
    assert_kept_as_counted()


def test_check_figures_lists_a_drifted_figure_and_repairs_it(hadimulyo_barat):
    """An operator's check: a figure changed behind the services' back is listed, and --repair
    recounts it from the rows."""
    from io import StringIO

    from django.core.management import call_command

    cast = Cast(hadimulyo_barat)
    grant = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    disburse(cast, grant, 1_000_000)
    out = StringIO()
    call_command("check_figures", stdout=out)
    assert out.getvalue().strip() == "Setiap angka yang disimpan sama dengan hitung ulang."
    Grant.objects.filter(pk=grant.pk).update(disbursed_amount=7)  # a hand edit in the database
    PlaceGrantCount.objects.update(grants=5)
    out = StringIO()
    call_command("check_figures", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"grant {grant.pk}: money and dates kept")
    assert lines[-1] == "2 angka yang disimpan berbeda dari hitung ulang; jalankan dengan --repair."
    out = StringIO()
    call_command("check_figures", repair=True, stdout=out)
    assert out.getvalue().splitlines()[-1] == "Setiap angka yang disimpan sama dengan hitung ulang."
    grant.refresh_from_db()
    assert grant.disbursed_amount == 1_000_000
    assert figures.drift() == []


def test_the_check_asks_as_many_queries_for_three_grants_as_for_one(hadimulyo_barat):
    """check_figures reads a province's grants in a few queries, not a few per grant."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast = Cast(hadimulyo_barat)
    program = ready_group(cast, hadimulyo_barat).program
    first = approved_grant(cast, ready_group(cast, hadimulyo_barat, program=program))
    disburse(cast, first, 1_000_000)
    with CaptureQueriesContext(connection) as one:
        assert figures.drift() == []
    for number in (2, 3):
        grant = approved_grant(cast, ready_group(cast, hadimulyo_barat, program=program))
        disburse(cast, grant, 500_000, reference=f"BAST/00{number}")
        visit(cast, grant, datetime.date(2026, 10, 1), 300_000)
    with CaptureQueriesContext(connection) as three:
        assert figures.drift() == []
    assert len(three) == len(one)
