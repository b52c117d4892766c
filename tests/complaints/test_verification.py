"""Did the money arrive whole? A round per tranche, the members asked (all, or a sample sized by
confidence and margin), answers recorded, a complaint opened by "less" or "not received", and a
grant that cannot be closed while such a report is unsettled."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints import services
from grants import services as grant_services
from grants.models import VerificationAnswer
from participants.models import Message
from tests.cast import approved_grant, disburse, ready_group, spend

pytestmark = pytest.mark.django_db

TRANCHE_DAY = datetime.date(2026, 9, 15)


@pytest.fixture
def tranche(cast, hadimulyo_barat):
    grant = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    return disburse(cast, grant, 1_000_000, date=TRANCHE_DAY)


def answer_of(tranche, index=0):
    return tranche.verification.answers.order_by("pk")[index]


@pytest.mark.parametrize(
    ("population", "confidence", "margin", "expected"),
    [(10, 95, 10, 10), (1000, 95, 10, 88), (100_000, 95, 5, 383), (5000, 90, 10, 67)],
)
def test_the_sample_size_follows_confidence_and_margin(population, confidence, margin, expected):
    assert grant_services.sample_size(population, confidence=confidence, margin=margin) == expected


def test_a_tranche_opens_a_round_that_asks_every_member_of_a_small_programme(tranche):
    answers = tranche.verification.answers.all()
    assert answers.count() == 10 and {a.answer for a in answers} == {"waiting"}
    asked = Message.objects.filter(reason="verification")
    assert asked.count() == 10  # each member has a record: sent, or why not
    assert all(m.status == "skipped" for m in asked)  # the test members did not agree to messages


def test_a_large_programme_asks_its_groups_share_of_a_random_sample(
    cast, hadimulyo_barat, settings
):
    settings.VERIFICATION_ASK_ALL_UP_TO = 5  # this programme's 10 paid members are "many"
    settings.VERIFICATION_MARGIN = 30
    grant = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    tranche = disburse(cast, grant, 1_000_000)
    expected = grant_services.sample_size(10, confidence=95, margin=30)
    assert expected < 10
    assert tranche.verification.answers.count() == expected
    assert tranche.verification.margin == 30


def test_whole_is_recorded_and_less_opens_a_complaint_about_the_tranche(cast, tranche):
    on = TRANCHE_DAY + datetime.timedelta(days=3)
    answer, complaint = services.verification_answer(
        answer=answer_of(tranche), by=cast.worker, value="whole", channel="visit", on=on
    )
    assert answer.answer == "whole" and complaint is None
    answer, complaint = services.verification_answer(
        answer=answer_of(tranche, 1), by=cast.worker, value="less", channel="phone", on=on,
        amount=Decimal(750_000), note="Dipotong untuk administrasi.",
    )  # fmt: skip
    assert complaint.category == "amount_cut" and complaint.disbursement == tranche
    assert complaint.channel == "verification" and complaint.participant == answer.participant
    assert "Rp 750.000" in complaint.description and "Rp 1.000.000" in complaint.description
    _answer, nothing = services.verification_answer(
        answer=answer_of(tranche, 2), by=cast.worker, value="not_received", channel="phone", on=on
    )
    assert nothing.category == "not_received"
    figures = grant_services.verification_figures([tranche])[tranche.pk]
    assert figures == {"asked": 10, "answered": 3, "discrepancies": 2, "unsettled": 2}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": "less", "amount": None}, "amount"),
        ({"value": "less", "amount": Decimal(1_000_000)}, "amount"),
        ({"value": "maybe"}, "value"),
        ({"on": TRANCHE_DAY - datetime.timedelta(days=1)}, "on"),
        ({"on": timezone.localdate() + datetime.timedelta(days=1)}, "on"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_a_wrong_answer_is_refused_and_nothing_is_written(cast, tranche, fields, field):
    data = {"value": "whole", "channel": "phone", "on": TRANCHE_DAY, **fields}
    with pytest.raises(ValidationError) as refused:
        services.verification_answer(answer=answer_of(tranche), by=cast.worker, **data)
    assert field in refused.value.error_dict
    assert answer_of(tranche).answer == "waiting"
    assert not tranche.complaints.exists()


def test_the_grant_cannot_close_until_the_discrepancy_is_settled(cast, hadimulyo_barat):
    grant = approved_grant(cast, ready_group(cast, hadimulyo_barat))
    tranche = disburse(cast, grant, 2_550_000, "T-1", date=TRANCHE_DAY)
    _answer, complaint = services.verification_answer(
        answer=answer_of(tranche), by=cast.worker, value="not_received", channel="visit",
        on=TRANCHE_DAY,
    )  # fmt: skip
    spend(cast, grant, 2_550_000)
    grant = grant_services.grant_mark_accounted(grant=grant, by=cast.supervisor)
    with pytest.raises(ValidationError) as refused:
        grant_services.grant_close(grant=grant, by=cast.supervisor, note="Selesai.")
    assert "tidak diterima utuh" in str(refused.value)
    services.complaint_step(
        complaint=complaint, step="assess", by=cast.supervisor, note="Kami periksa."
    )
    services.complaint_step(
        complaint=complaint, step="resolve", by=cast.supervisor,
        note="Bendahara mengembalikan uang kepada kelompok.",
    )  # fmt: skip
    assert VerificationAnswer.objects.get(complaint=complaint).settled_on is not None
    assert grant_services.grant_close(grant=grant, by=cast.supervisor).status == "closed"


def test_the_page_records_an_answer_and_tells_of_the_complaint(client, cast, tranche):
    url = reverse("complaints:verification", args=[tranche.pk])
    client.force_login(cast.worker)
    page = client.get(url)
    assert page.status_code == 200 and "0</strong> / 10" in page.content.decode()
    answer = answer_of(tranche)
    refused = client.post(url, {"answer": answer.pk, "value": "less", "channel": "phone",
                                "on": "16/09/2026", "amount": ""})  # fmt: skip
    assert "Isi jumlah yang diterima kelompok" in str(refused.context["form"].errors)
    done = client.post(
        url,
        {"answer": answer.pk, "value": "less", "channel": "phone", "on": "16/09/2026",
         "amount": "800000"},
        follow=True,
    )  # fmt: skip
    text = done.content.decode()
    assert "ADU-2026-" in text and "dibuka" in text
    group_page = client.get(reverse("group", args=[tranche.grant.group_id])).content.decode()
    assert "1/10" in group_page and "1 tidak utuh" in group_page
