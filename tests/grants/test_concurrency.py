"""Double clicks and simultaneous decisions on a real PostgreSQL: one step, one event."""

from decimal import Decimal
from functools import partial

from grants import services
from grants.models import Grant
from tests.concurrency import postgres_only, refusals, run_at_once
from tests.factories import _kelurahan
from tests.grants.helpers import Cast, approved_grant, disburse, ready_group, submitted_grant

pytestmark = postgres_only


def test_two_supervisors_approving_at_once_make_one_approval():
    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    for _ in range(3):
        grant = submitted_grant(cast, ready_group(cast, kelurahan))
        outcomes = run_at_once(
            [
                partial(services.grant_approve, grant=grant, by=cast.supervisor),
                partial(services.grant_approve, grant=grant, by=cast.other_supervisor),
            ]
        )
        assert len(refusals(outcomes)) == 1
        assert refusals(outcomes)[0].error_list[0].code == "wrong_status"
        assert grant.events.filter(to_status=Grant.Status.APPROVED).count() == 1


def test_double_click_on_reject_records_one_rejection():
    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    grant = submitted_grant(cast, ready_group(cast, kelurahan))
    reject = partial(services.grant_reject, grant=grant, by=cast.supervisor, reason="Kurang")
    outcomes = run_at_once([reject, reject])
    assert len(refusals(outcomes)) == 1
    assert grant.events.filter(to_status=Grant.Status.REJECTED).count() == 1


def test_two_tranches_at_once_never_exceed_the_approved_amount():
    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    for round_number in range(3):
        grant = approved_grant(cast, ready_group(cast, kelurahan))  # Rp 2.550.000 approved
        outcomes = run_at_once(
            [
                partial(disburse, cast, grant, 2_000_000, f"R{round_number}-A"),
                partial(disburse, cast, grant, 2_000_000, f"R{round_number}-B"),
            ]
        )
        assert len(refusals(outcomes)) == 1
        assert services.disbursed_total(grant) == Decimal(2_000_000)
