"""Targeting on the dashboard, against the demo's figures counted by hand: members by desil,
the share within the limit, the exceptions with their reasons, the pending proposals, and the
desil movement of the pilot's households since they joined."""

import pytest
from django.urls import reverse

from participants import targeting
from participants.models import Membership, Program

pytestmark = pytest.mark.django_db


def test_the_programme_dashboard_says_why_these_families(client, demo):
    program = Program.objects.get(year=2026)
    client.force_login(demo["supervisor"])
    html = client.get(reverse("programme:dashboard"), {"program": program.pk}).content.decode()
    # Fifty members: forty-eight within desil 1-2, the two of Kue Asri Manis let in by the
    # supervisor (desil 3) with their reasons. Two proposals of Hadimulyo Barat wait: one being
    # prepared, and the removal the second list (desil 1-5 only) could not show.
    assert 'id="within-limit">48<' in html and 'id="within-share">96%<' in html
    assert 'id="exception-count">2<' in html and 'id="pending-proposals">2<' in html
    assert "angin puting beliung" in html and "di-PHK pabrik" in html
    # The 2026 members joined in the third quarter, the period of the first list (30 September):
    # that list is their baseline, and today's list moved none of them.
    assert 'data-movement="same">50<' in html
    assert 'data-movement="down">0<' in html and 'data-movement="out">0<' in html


def test_the_pilots_households_moved_up_out_of_desil_1_2(demo):
    pilot = Program.objects.get(year=2025)
    memberships = Membership.objects.filter(program=pilot)
    moved = targeting.movement(memberships, pilot.max_desil)
    # Twenty households; four risen to desil 3 or 4 in today's list, the rest unchanged.
    assert (moved.compared, moved.out_of_limit, moved.up, moved.same, moved.down) == (
        20, 4, 4, 16, 0,
    )  # fmt: skip
    figures = targeting.targeting(pilot, pilot.groups.all())
    assert (figures.members, figures.within) == (20, 16)
    assert sum(figures.by_desil.get(d, 0) for d in (3, 4)) == 4


def test_a_worker_sees_the_targeting_of_their_kelurahan_only(client, demo):
    program = Program.objects.get(year=2026)
    client.force_login(demo["pekerja"])  # Hadimulyo Barat and Karangrejo
    html = client.get(reverse("programme:dashboard"), {"program": program.pk}).content.decode()
    assert 'id="within-limit">20<' in html and 'id="exception-count">0<' in html
    assert "Ganjar Asri" not in html.split('id="targeting"')[1].split("</section>")[0]


def test_each_groups_outcome_page_shows_its_households_movement(client, demo):
    import re

    client.force_login(demo["supervisor"])
    lifted = 0
    for group in Program.objects.get(year=2025).groups.all():
        html = client.get(reverse("families:outcomes", args=[group.pk])).content.decode()
        assert 'id="desil-movement"' in html
        lifted += int(re.search(r'data-movement="out">(\d+)<', html).group(1))
    assert lifted == 4  # the pilot's four risen households, group by group
