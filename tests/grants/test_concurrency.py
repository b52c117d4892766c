"""Double clicks and simultaneous decisions on a real PostgreSQL: one step, one event."""

from decimal import Decimal
from functools import partial

from grants import services
from grants.models import Grant
from tests.cast import (
    Cast,
    approved_grant,
    assert_kept_as_counted,
    disburse,
    ready_group,
    submitted_grant,
    totals_of,
)
from tests.concurrency import postgres_only, refusals, run_at_once
from tests.factories import _kelurahan

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


def test_two_clerks_recording_tranches_at_once_in_admin_get_one_tranche_and_a_message():
    from django.test import Client
    from django.urls import reverse

    from participants.models import Membership

    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    grant = approved_grant(cast, ready_group(cast, kelurahan))  # Rp 2.550.000 approved
    treasurer = grant.group.memberships.get(role=Membership.Role.BENDAHARA)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(cast.staff)

    def post(client, reference):
        return client.post(
            reverse("admin:grants_disbursement_add"),
            {
                "grant": grant.pk,
                "date": "2026-09-15",
                "amount": "2000000",
                "method": "transfer",
                "reference_number": reference,
                "received_by": treasurer.pk,
                "note": "",
            },
        )

    outcomes = run_at_once([partial(post, clients[0], "ADM-A"), partial(post, clients[1], "ADM-B")])
    # The loser is refused by the form (200, when the winner had committed) or under the grant's
    # lock (302 back to the form with the message); never a server error.
    assert all(response.status_code in (200, 302) for response in outcomes)
    assert services.disbursed_total(grant) == Decimal(2_000_000)
    assert grant.disbursements.count() == 1


def test_tranches_in_one_kelurahan_at_once_are_all_counted():
    """Two clerks record tranches of two groups of the same kelurahan at the same moment:
    each recount waits for the other's, so neither tranche is missing from the figures."""
    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    groups = [ready_group(cast, kelurahan)]
    groups.append(ready_group(cast, kelurahan, program=groups[0].program))
    grants = [approved_grant(cast, group) for group in groups]
    for round_number in range(3):
        run_at_once(
            [
                partial(disburse, cast, grant, 100_000, f"R{round_number}-{i}")
                for i, grant in enumerate(grants)
            ]
        )
    program = groups[0].program
    assert totals_of(program)["disbursed"] == Decimal(600_000)
    assert_kept_as_counted()
