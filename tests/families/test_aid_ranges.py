"""Who may receive which aid: each kind's desil range, with the dates it applies, is data the
office edits; aid received outside its range, and a household in a kind's range that receives
nothing of it, are flagged on the household's pages and in the aid register."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from families import services
from families.models import AidDesilRange
from tests.factories import ParticipantFactory, record_rank

pytestmark = pytest.mark.django_db
PKH = "PKH (bantuan tunai bersyarat)"
FOOD = "Bantuan pangan (sembako)"
HEALTH = "Jaminan kesehatan (BPJS PBI)"


def give(cast, person, kind, day):
    fields = {"quantity": Decimal(1)} if kind.in_kind_unit else {"value": Decimal(750_000)}
    return services.aid_record(
        by=cast.staff, participant=person, kind=kind, received_on=day, source="Kemensos",
        confirm_double=True, **fields,
    )  # fmt: skip


@pytest.fixture
def households(cast, kinds):
    """Four households and what they received, each against its reading on the day."""
    richer = ParticipantFactory(rank=False, full_name="Ani Desil Enam")
    record_rank(richer.kk_number, 6, as_of=datetime.date(2026, 6, 1))
    give(cast, richer, kinds[PKH], datetime.date(2026, 8, 10))  # PKH is for desil 1-4
    fifth = ParticipantFactory(rank=False, full_name="Budi Desil Lima")
    record_rank(fifth.kk_number, 5, as_of=datetime.date(2025, 6, 1))
    give(cast, fifth, kinds[FOOD], datetime.date(2025, 9, 1))  # sembako: desil 1-4 in 2025
    give(cast, fifth, kinds[FOOD], datetime.date(2026, 3, 1))  # and 1-5 from 2026
    outside = ParticipantFactory(rank=False, full_name="Citra Tidak Terdata")
    record_rank(outside.kk_number, None, in_dtsen=False, as_of=datetime.date(2026, 1, 5))
    give(cast, outside, kinds[PKH], datetime.date(2026, 8, 10))
    unread = ParticipantFactory(rank=False, full_name="Dedi Dibaca Kemudian")
    give(cast, unread, kinds[PKH], datetime.date(2026, 8, 10))
    record_rank(unread.kk_number, 7, as_of=datetime.date(2026, 9, 1))  # read after: no verdict
    return richer, fifth, outside, unread


def test_aid_outside_its_range_on_the_day_is_flagged_on_the_household_pages(
    client, cast, households
):
    richer, fifth, outside, unread = households
    client.force_login(cast.worker)

    def flags(person):
        page = client.get(reverse("person", args=[person.pk])).text
        return page.count('data-flag="outside-range"'), page

    count, page = flags(richer)
    assert count == 1
    assert "Diterima di luar rentangnya: desil 6 pada hari itu, jenis ini untuk desil 1–4" in page
    count, page = flags(fifth)
    assert count == 1  # 2025's parcel only: from 2026 the range reaches desil 5
    assert "desil 5 pada hari itu, jenis ini untuk desil 1–4" in page
    count, page = flags(outside)
    assert count == 1 and "tidak ada di DTSEN pada hari itu" in page
    assert flags(unread)[0] == 0  # no reading on the day it came: nothing said

    card = client.get(reverse("families:family_card", args=[richer.pk])).text
    assert card.count('data-flag="outside-range"') == 1


def test_the_aid_register_shows_and_filters_aid_outside_its_range(client, cast, households):
    richer, fifth, outside, unread = households
    client.force_login(cast.staff)
    url = reverse("admin:families_aid_changelist")
    register = client.get(url).text
    assert register.count('class="errornote-inline"') == 3
    assert reverse("admin:families_aid_in_range") in register.split('id="in-range-link"')[1]
    flagged = client.get(url, {"rentang": "luar"}).text
    for person in (richer, fifth, outside):
        assert person.full_name in flagged
    assert unread.full_name not in flagged
    assert flagged.count('class="errornote-inline"') == 3


def test_a_household_in_range_receiving_nothing_is_flagged_until_it_receives(client, cast, kinds):
    poor = ParticipantFactory(rank=False, full_name="Eko Desil Dua")
    record_rank(poor.kk_number, 2)
    client.force_login(cast.worker)
    page = client.get(reverse("person", args=[poor.pk])).text
    missing = page.split('id="missing-aid"')[1].split("</ul>")[0]
    assert missing.count('data-flag="in-range-nothing"') == 3
    assert "Dalam rentang tetapi tidak menerima apa pun: PKH (bantuan tunai bersyarat)" in missing
    assert "Bantuan pangan (sembako) (desil 1–5)" in missing

    give(cast, poor, kinds[PKH], datetime.date.today() - datetime.timedelta(days=20))
    page = client.get(reverse("person", args=[poor.pk])).text
    missing = page.split('id="missing-aid"')[1].split("</ul>")[0]
    assert missing.count('data-flag="in-range-nothing"') == 2 and "PKH" not in missing

    client.force_login(cast.staff)
    listed = client.get(reverse("admin:families_aid_in_range")).text
    row = listed.split("Eko Desil Dua")[1].split("</tr>")[0]
    assert "Bantuan pangan (sembako) (desil 1–5)" in row and "PKH" not in row


def test_a_household_above_every_range_is_never_flagged_for_nothing(client, cast):
    better_off = ParticipantFactory(rank=False)
    record_rank(better_off.kk_number, 8)
    client.force_login(cast.worker)
    assert 'id="missing-aid"' not in client.get(reverse("person", args=[better_off.pk])).text


def test_the_ranges_are_data_the_office_edits_in_admin(client, cast, kinds):
    kind = kinds[PKH]
    client.force_login(cast.staff)
    url = reverse("admin:families_aidkind_change", args=[kind.pk])
    existing = list(kind.desil_ranges.all())
    data = {
        "name": kind.name, "in_kind_unit": "", "repeat_months": kind.repeat_months,
        "is_active": "on",
        "desil_ranges-TOTAL_FORMS": str(len(existing) + 1),
        "desil_ranges-INITIAL_FORMS": str(len(existing)),
    }  # fmt: skip
    for index, kind_range in enumerate(existing):
        data.update({
            f"desil_ranges-{index}-id": kind_range.pk, f"desil_ranges-{index}-kind": kind.pk,
            f"desil_ranges-{index}-desil_from": kind_range.desil_from,
            f"desil_ranges-{index}-desil_to": kind_range.desil_to,
            f"desil_ranges-{index}-valid_from": f"{kind_range.valid_from:%d/%m/%Y}",
            f"desil_ranges-{index}-valid_until": "31/12/2026",
        })  # fmt: skip
    new = len(existing)
    data.update({
        f"desil_ranges-{new}-desil_from": "5", f"desil_ranges-{new}-desil_to": "3",
        f"desil_ranges-{new}-valid_from": "01/01/2027", f"desil_ranges-{new}-source": "Kemensos",
    })  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Desil terendah di depan: misalnya 1 sampai 4." in refused.text
    data[f"desil_ranges-{new}-desil_from"], data[f"desil_ranges-{new}-desil_to"] = "1", "5"
    saved = client.post(url, data)
    assert saved.status_code == 302
    later = AidDesilRange.objects.get(kind=kind, valid_from=datetime.date(2027, 1, 1))
    assert (later.desil_from, later.desil_to, later.source) == (1, 5, "Kemensos")
    changelist = client.get(reverse("admin:families_aidkind_changelist")).text
    assert "1–4" in changelist  # today's range of PKH


def test_the_in_range_page_chooses_a_kelurahan(client, cast, karangrejo):
    here = ParticipantFactory(rank=False, full_name="Fajar Hadimulyo")
    there = ParticipantFactory(rank=False, full_name="Gita Karangrejo", kelurahan=karangrejo)
    for person in (here, there):
        record_rank(person.kk_number, 1)
    client.force_login(cast.staff)
    url = reverse("admin:families_aid_in_range")
    both = client.get(url).text
    assert "Fajar Hadimulyo" in both and "Gita Karangrejo" in both
    assert 'id="in-range-count">2 keluarga' in both
    one = client.get(url, {"kelurahan": karangrejo.pk}).text
    assert "Gita Karangrejo" in one and "Fajar Hadimulyo" not in one
    client.force_login(cast.worker)  # no admin: sent to its login
    assert client.get(url).status_code == 302
