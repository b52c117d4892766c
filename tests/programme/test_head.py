"""The head of office's one page: every programme apart and together, each figure the one its
own page shows (counted again here by hand from the records), each a link to its list."""

import re

import pytest
from django.urls import reverse

from complaints.models import Complaint
from complaints.selectors import overdue
from grants.models import Disbursement, Grant, MonitoringVisit
from participants.models import Membership, Program

pytestmark = pytest.mark.django_db


def figure(html, name, scope='id="head-all"'):
    row = html.split(scope)[1].split("</tr>")[0]
    return re.search(rf'data-figure="{name}"[^>]*>([^<]+)<', row).group(1)


def test_the_head_of_office_lands_on_one_page_that_answers_the_five_questions(client, demo):
    client.force_login(demo["kepala"])
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home.url == reverse("programme:head")
    page = client.get(home.url).text

    # Families: households (family cards), not members; both, for all programmes and each.
    members = Membership.objects.all()
    households = members.values("participant__kk_number").distinct().count()
    assert figure(page, "households") == str(households)
    assert figure(page, "participants") == str(members.count())
    for program in Program.objects.all():
        scope = f'data-program="{program.pk}"'
        of_it = members.filter(program=program)
        assert figure(page, "households", scope) == str(
            of_it.values("participant__kk_number").distinct().count()
        )
        # The same number as the programme's own page.
        dashboard = client.get(reverse("programme:dashboard"), {"program": program.pk}).text
        shown = re.search(r'data-total="disbursed">([^<]+)<', dashboard).group(1)
        assert figure(page, "disbursed", scope) == shown

    # Money: every programme's tranches together, the pilot included.
    total = sum(d.amount for d in Disbursement.objects.all())
    assert figure(page, "disbursed") == f"Rp {total:,.0f}".replace(",", ".")

    # Businesses: running by the last visit, of those funded; the unvisited said so.
    funded = Grant.objects.filter(disbursements__isnull=False).distinct()
    running = sum(
        1
        for grant in funded
        if (last := grant.visits.order_by("-visit_date", "-pk").first())
        and last.business_status == MonitoringVisit.BusinessStatus.RUNNING
    )
    assert figure(page, "running") == f"{running} dari {funded.count()} yang didanai"

    # Complaints past a deadline: the same number as the supervisors' queue and the list.
    late = Complaint.objects.filter(overdue()).count()
    assert re.search(r'data-figure="late">(\d+)<', page).group(1) == str(late)
    listed = client.get(reverse("complaints:list"), {"perlu": "pengaduan-terlambat"})
    assert listed.status_code == 200 and listed.text.count('data-status="') == late
    client.force_login(demo["supervisor"])
    queue = client.get(reverse("home")).text
    assert f'data-count="pengaduan-terlambat">{late}<' in queue
    client.force_login(demo["kepala"])

    # Slums: the city's RTs now and at their baseline, with the report a click away.
    assert reverse("slums:report") in page
    assert re.search(r'data-figure="slum-rts">\d+ \(\d+\)<', page)


def test_a_social_worker_does_not_read_the_whole_city(client, demo):
    client.force_login(demo["pekerja"])
    assert client.get(reverse("programme:head")).status_code == 403
    assert client.get(reverse("home")).status_code == 200  # their own groups


def test_the_complaint_list_filters_those_past_a_deadline(client, demo):
    client.force_login(demo["supervisor"])
    late = Complaint.objects.filter(overdue()).count()
    page = client.get(reverse("complaints:list"), {"late": "on"}).text
    assert page.count('data-status="') == late
