"""The work queue and the programme at a glance, checked against the demo's known figures."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Disbursement, Grant, SpendingLine
from participants.models import Kelurahan, Program

pytestmark = pytest.mark.django_db


def counts(client, url):
    """Return {queue key: count} as shown on a page (home or admin index)."""
    html = client.get(url).content.decode()
    return {
        key: int(value) for key, value in re.findall(r'data-count="([\w-]+)"[^>]*>(\d+)<', html)
    }


def test_supervisor_queue_on_home_and_admin_index_matches_the_demo(client, demo):
    client.force_login(demo["supervisor"])
    expected = {
        "asesmen-ditinjau": 1,  # Karangrejo's assessment was submitted
        "rencana-disetujui": 1,  # Rejomulyo's plan was submitted
        "bantuan-diputuskan": 1,  # Rejomulyo's grant awaits a decision
        "lpj-diterima": 1,  # the pilot's Rejomulyo grant, disbursed in 2025
        "dicairkan": 1,  # Iringmulyo's grant was approved
        "pemantauan": 1,  # the pilot's Rejomulyo business has never been visited
        "tindak-lanjut": 3,  # Iringmulyo's, Ganjar Asri's and Karangrejo's follow-ups
        "pengukuran-hasil": 1,  # the pilot's Rejomulyo group, 12 months after its money
        # Complaints: the public one, the one never answered and the one the payment
        # verification opened; the tranche cut is the supervisor's; never answered and past its
        # resolution date (the sensitive one is not theirs to see).
        "pengaduan-baru": 3,
        "pengaduan-saya": 1,
        "pengaduan-terlambat": 2,
        # Hadimulyo Barat's last re-survey waits for review.
        "survei-kumuh-ditinjau": 1,
    }
    assert counts(client, reverse("home")) == expected
    assert counts(client, reverse("admin:index")) == expected


def test_social_worker_queue_counts_only_their_kelurahan(client, demo):
    client.force_login(demo["pekerja"])
    # Hadimulyo Barat and Karangrejo: Karangrejo's plan and grant are drafts.
    assert counts(client, reverse("home")) == {
        "dikembalikan": 0,
        "draf": 1,
        "pemantauan": 0,
        "tindak-lanjut": 1,  # Karangrejo's follow-up past its date
        "pengukuran-hasil": 0,
        # Hadimulyo Barat's: the tranche cut, the wrong targeting, the one never answered, the
        # one the payment verification opened (not the sensitive one).
        "pengaduan-terbuka": 4,
        "survei-kumuh-draf": 0,
    }
    html = client.get(reverse("programme:work"), {"perlu": "draf"}).content.decode()
    assert "Kelompok Sayur Karang Hijau" in html
    assert "Kelompok Jamu Sekar Arum" not in html


def test_staff_queue_shows_grants_awaiting_disbursement_and_links_to_the_desk(client, demo):
    client.force_login(demo["staf"])
    assert counts(client, reverse("home")) == {"dicairkan": 1, "pengaduan-terbuka": 7}
    html = client.get(reverse("admin:index")).content.decode()
    assert "/admin/grants/grant/?status__exact=approved" in html
    desk = client.get(reverse("admin:grants_grant_changelist"), {"status__exact": "approved"})
    assert "Kelompok Gas Iring Makmur" in desk.content.decode()
    assert "Kelompok Gas Rejo Sejahtera" not in desk.content.decode()


def test_the_monitoring_filter_on_the_desk_lists_the_same_business_as_the_queue(client, demo):
    client.force_login(demo["supervisor"])
    html = client.get(
        reverse("admin:grants_grant_changelist"), {"pemantauan": "terlambat"}
    ).content.decode()
    assert "Kelompok Sayur Rejo Lestari" in html
    assert "Kelompok Jamu Sekar Arum" not in html
    work = client.get(reverse("programme:work"), {"perlu": "pemantauan"}).content.decode()
    assert "Kelompok Sayur Rejo Lestari" in work


def test_a_queue_item_of_another_role_is_refused(client, demo):
    client.force_login(demo["pekerja"])
    assert client.get(reverse("programme:work"), {"perlu": "bantuan-diputuskan"}).status_code == 403
    assert client.get(reverse("programme:work"), {"perlu": "tidak-ada"}).status_code == 200


def test_dashboard_totals_are_the_demo_figures_and_the_sum_of_the_rows(client, demo):
    client.force_login(demo["supervisor"])
    response = client.get(reverse("programme:dashboard"))
    totals, rows = response.context["totals"], response.context["rows"]
    program = Program.objects.get(year=2026)
    grants = Grant.objects.filter(program=program)

    assert (totals.groups, totals.complete_groups, totals.participants) == (5, 5, 50)
    committed = grants.filter(status__in=["approved", "disbursed", "accounted", "closed"])
    assert totals.approved == sum(g.amount_approved for g in committed) == Decimal(34_970_000)
    assert totals.disbursed == sum(
        d.amount for d in Disbursement.objects.filter(grant__program=program)
    )
    assert totals.accounted == sum(
        s.actual_amount for s in SpendingLine.objects.filter(grant__program=program)
    )
    assert totals.budget_left == program.total_budget - totals.approved
    assert dict(totals.grants_by_status) == {
        "accounted": 1,
        "approved": 1,
        "submitted": 1,
        "rejected": 1,
        "draft": 1,
    }
    assert dict(totals.businesses) == {"running": 1}
    # Totals are the sums of the rows shown.
    assert totals.participants == sum(row.member_count for row in rows)
    assert totals.disbursed == sum(row.disbursed for row in rows)
    html = response.content.decode()
    assert 'data-total="approved">Rp 34.970.000<' in html
    assert "Dana per kelurahan" in html and "<svg" in html
    assert "Metro Pusat" in html and "Pembuatan jamu tradisional" in html


def test_the_programme_switcher_shows_the_pilot(client, demo):
    client.force_login(demo["supervisor"])
    pilot = Program.objects.get(year=2025)
    response = client.get(reverse("programme:dashboard"), {"program": pilot.pk})
    assert [row.name for row in response.context["rows"]] == [
        "Kelompok Kue Mawar Hadimulyo",
        "Kelompok Sayur Rejo Lestari",
    ]
    assert dict(response.context["totals"].grants_by_status) == {"closed": 1, "disbursed": 1}
    # A programme that does not exist falls back to the active one rather than failing.
    fallback = client.get(reverse("programme:dashboard"), {"program": "999999"})
    assert fallback.status_code == 200
    assert fallback.context["program"].year == 2026


def test_social_worker_dashboard_and_kelurahan_pages_keep_to_their_kelurahan(client, demo):
    client.force_login(demo["pekerja"])
    rows = client.get(reverse("programme:dashboard")).context["rows"]
    assert {row.kelurahan.name for row in rows} == {"Hadimulyo Barat", "Karangrejo"}
    own = client.get(reverse("programme:kelurahan", args=["1872011004"]))
    assert [row.program.year for row in own.context["rows"]] == [2026, 2025]
    assert "Kelompok Kue Mawar Hadimulyo" in own.content.decode()
    assert client.get(reverse("programme:kelurahan", args=["1872051001"])).status_code == 403
    assert client.get(reverse("programme:kelurahan", args=["0000"])).status_code == 404


def test_kelurahan_page_lists_every_programme_and_grant_it_had(client, demo):
    client.force_login(demo["supervisor"])
    response = client.get(reverse("programme:kelurahan", args=["1872011004"]))
    html = response.content.decode()
    assert "Uji Coba Usaha Ekonomi Produktif Keluarga Miskin (2025)" in html
    assert "11/11 · Selesai" in html
    assert "10/11 · LPJ diterima, monitoring" in html
    approved = sum(
        g.amount_approved
        for g in Grant.objects.filter(group__kelurahan=Kelurahan.objects.get(code="1872011004"))
    )
    assert response.context["totals"].approved == approved


@pytest.mark.parametrize(
    "name", ["home", "programme:dashboard", "programme:reports", "programme:work"]
)
def test_overview_pages_need_a_login_and_refuse_post(client, demo, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(demo["pekerja"])
    assert client.post(reverse(name)).status_code == 405
