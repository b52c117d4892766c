"""The aid register: one aid at a time from the person's page, doubles flagged before saving,
the programme's grants shown without being entered twice."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from families import selectors, services
from families.models import Aid
from tests.cast import approved_grant, disburse
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
PKH = "PKH (bantuan tunai bersyarat)"
FOOD = "Bantuan pangan (sembako)"


def record(cast, person, kind, day, **fields):
    fields.setdefault("source", "Kemensos")
    if kind.in_kind_unit:
        fields.setdefault("quantity", Decimal(1))
    else:
        fields.setdefault("value", Decimal(750_000))
    return services.aid_record(
        by=cast.staff, participant=person, kind=kind, received_on=day, **fields
    )


def test_the_same_kind_to_one_household_within_its_period_is_refused_until_confirmed(
    cast, planned_group, kinds
):
    first, spouse = planned_group.memberships.all()[0].participant, None
    spouse = ParticipantFactory(kelurahan=planned_group.kelurahan, kk_number=first.kk_number)
    record(cast, first, kinds[FOOD], datetime.date(2026, 11, 5))

    with pytest.raises(ValidationError) as caught:
        record(cast, spouse, kinds[FOOD], datetime.date(2026, 11, 20))
    assert "sudah menerima Bantuan pangan (sembako) dalam 1 bulan" in str(caught.value)
    assert "05/11/2026" in str(caught.value)
    assert Aid.objects.count() == 1

    again = record(cast, spouse, kinds[FOOD], datetime.date(2026, 11, 20), confirm_double=True)
    assert again.possible_double is True
    # A month and more later it is the next parcel, not a double.
    later = record(cast, first, kinds[FOOD], datetime.date(2026, 9, 1))
    assert later.possible_double is False


def test_business_capital_is_a_double_of_the_programmes_own_grant(cast, planned_group, kinds):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 2_550_000, date=datetime.date(2026, 9, 15))
    member = planned_group.memberships.first().participant
    with pytest.raises(ValidationError) as caught:
        record(cast, member, kinds["Modal usaha"], datetime.date(2026, 10, 1))
    assert planned_group.program.name in str(caught.value)
    assert "Rp 2.550.000" in str(caught.value)


def test_aid_in_kind_needs_its_quantity_and_money_its_value(cast, planned_group, kinds):
    member = planned_group.memberships.first().participant
    with pytest.raises(ValidationError) as caught:
        services.aid_record(
            by=cast.staff,
            participant=member,
            kind=kinds[FOOD],
            source="Baznas",
            received_on=datetime.date(2026, 11, 1),
        )
    assert "Isi jumlahnya dalam paket" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.aid_record(
            by=cast.staff,
            participant=member,
            kind=kinds[PKH],
            source="Kemensos",
            received_on=datetime.date(2026, 11, 1),
        )
    assert "Isi nilainya dalam rupiah" in str(caught.value)


def test_a_supervisor_does_not_record_aid(cast, planned_group, kinds):
    with pytest.raises(PermissionDenied):
        services.aid_record(
            by=cast.supervisor,
            participant=planned_group.memberships.first().participant,
            kind=kinds[PKH],
            source="Kemensos",
            received_on=datetime.date(2026, 11, 1),
            value=Decimal(1),
        )


def test_the_household_list_shows_the_register_and_the_grant_once(cast, planned_group, kinds):
    grant = approved_grant(cast, planned_group)
    disburse(cast, grant, 1_500_000, reference="BAST/1", date=datetime.date(2026, 9, 15))
    disburse(cast, grant, 1_050_000, reference="BAST/2", date=datetime.date(2026, 10, 15))
    member = planned_group.memberships.first().participant
    record(cast, member, kinds[PKH], datetime.date(2026, 8, 10))

    rows = selectors.household_aid(member, cast.supervisor)
    assert [(r["kind"], r["value"], r["date"]) for r in rows] == [
        ("Modal usaha", Decimal(2_550_000), datetime.date(2026, 9, 15)),
        (PKH, Decimal(750_000), datetime.date(2026, 8, 10)),
    ]
    assert Aid.objects.count() == 1  # the grant is read from the grants, not copied


def test_the_person_page_records_aid_and_asks_before_a_double(client, cast, planned_group, kinds):
    member = planned_group.memberships.first().participant
    record(cast, member, kinds[PKH], datetime.date(2026, 8, 10))
    client.force_login(cast.worker)
    url = reverse("families:aid_add", args=[member.pk])
    form = {
        "kind": kinds[PKH].pk,
        "source": "Kemensos – PKH tahap IV",
        "received_on": "10/10/2026",
        "value": "750000",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "Tetap simpan" in refused.content.decode()
    assert Aid.objects.count() == 1

    saved = client.post(url, {**form, "confirm_double": "on"}, follow=True)
    assert "Bantuan sudah dicatat" in saved.content.decode()
    assert "kemungkinan ganda" in saved.content.decode()
    assert Aid.objects.filter(possible_double=True).count() == 1


def test_the_family_record_prints_everything_for_the_household(client, cast, planned_group, kinds):
    member = planned_group.memberships.first().participant
    record(cast, member, kinds[PKH], datetime.date(2026, 8, 10), source="Kemensos – PKH")
    client.force_login(cast.supervisor)
    html = client.get(reverse("families:family_card", args=[member.pk])).content.decode()
    assert "Riwayat keluarga" in html
    assert "Kemensos – PKH" in html
    assert member.full_name in html
    # The supervisor does not see identity numbers in full, not even on paper.
    assert member.kk_number not in html
    client.force_login(cast.worker)
    html = client.get(reverse("families:family_card", args=[member.pk])).content.decode()
    assert member.kk_number in html
