"""Every step from every state by every role, against the one state table on the model."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grants import services
from grants.models import Disbursement, Grant
from participants.models import Membership
from tests.cast import (
    APPROVED_AT,
    SUBMITTED_AT,
    Cast,
    disburse,
    draft_grant,
    ready_group,
    spend,
)
from tests.conftest import world
from tests.factories import _kelurahan

Status = Grant.Status
WORKFLOW = Grant.workflow
# The steps that move a grant (editing, lines and uploads keep its status).
MOVING_STEPS = [name for name, step in WORKFLOW.steps.items() if step.target is not None]
ROLES = ("worker", "supervisor", "staff")


def grant_in(state, cast, group):
    """Walk a grant to `state`: Rp 2.550.000 approved, Rp 2.000.000 of it disbursed and spent."""
    grant = draft_grant(cast, group)
    if state == "draft":
        return grant
    grant = services.grant_submit(grant=grant, by=cast.worker, at=SUBMITTED_AT)
    if state == "submitted":
        return grant
    if state == "rejected":
        return services.grant_reject(
            grant=grant, by=cast.supervisor, reason="Revisi", at=APPROVED_AT
        )
    grant = services.grant_approve(grant=grant, by=cast.supervisor, at=APPROVED_AT)
    if state == "approved":
        return grant
    disburse(cast, grant, 2_000_000, f"T-1-{state}")
    spend(cast, grant, 2_000_000)
    if state == "disbursed":
        return grant
    grant = services.grant_mark_accounted(grant=grant, by=cast.supervisor)
    if state == "accounted":
        return grant
    return services.grant_close(grant=grant, by=cast.supervisor)


def take(step, grant, user):
    if step == "submit":
        return services.grant_submit(grant=grant, by=user)
    if step == "disburse":
        return disburse_as(user, grant)
    # The supervisors' steps, as the portal's buttons and admin's actions take them.
    return services.grant_decide(grant=grant, step=step, by=user, note="Catatan")


def disburse_as(user, grant):
    return services.disbursement_record(
        grant=grant,
        by=user,
        date=grant.created_at.date(),
        amount=1_000,
        method=Disbursement.Method.TRANSFER,
        reference_number="T-2",
        received_by=grant.group.memberships.get(role=Membership.Role.BENDAHARA),
    )


def test_the_table_is_the_graph_a_grant_follows():
    assert sorted((s, step, t) for s, step, t in WORKFLOW.transitions() if t) == sorted(
        [
            ("draft", "submit", "submitted"),
            ("rejected", "submit", "submitted"),
            ("submitted", "approve", "approved"),
            ("submitted", "reject", "rejected"),
            ("approved", "disburse", "disbursed"),
            ("disbursed", "disburse", "disbursed"),
            ("disbursed", "accept_accountability", "accounted"),
            ("accounted", "close", "closed"),
        ]
    )
    # Nothing leads out of a closed grant.
    assert WORKFLOW.next_steps(Status.CLOSED) == []


@world
def grant_of_each_state():
    """The cast of Hadimulyo Barat and one grant in each state, each of its own complete group:
    built once, every test starts from them as they were built."""
    kelurahan = _kelurahan()
    cast = Cast(kelurahan)
    grants = {state: grant_in(state, cast, ready_group(cast, kelurahan)).pk for state in Status}
    return cast, grants


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(Status.values))
@pytest.mark.parametrize("step", MOVING_STEPS)
def test_each_step_is_allowed_only_from_its_states_and_to_its_roles(
    step, state, role, grant_of_each_state
):
    cast, grants = grant_of_each_state
    user = {"worker": cast.worker, "supervisor": cast.other_supervisor, "staff": cast.staff}[role]
    grant = Grant.objects.get(pk=grants[state])
    events_before = grant.events.count()
    rule = WORKFLOW[step]
    allowed = state in rule.sources and user.has_perm(rule.permission)

    assert (rule in WORKFLOW.allowed_steps(grant, user)) == allowed
    if allowed:
        take(step, grant, user)
        grant.refresh_from_db()
        assert grant.status == rule.target
        assert grant.events.count() == events_before + 1
    else:
        with pytest.raises((ValidationError, PermissionDenied)):
            take(step, grant, user)
        grant.refresh_from_db()
        assert grant.status == state
        assert grant.events.count() == events_before


@pytest.mark.django_db
def test_the_supervisor_who_submitted_may_not_decide_and_is_offered_no_button(
    grant_of_each_state,
):
    cast, grants = grant_of_each_state
    Grant.objects.filter(pk=grants["submitted"]).update(submitted_by=cast.supervisor)
    grant = Grant.objects.get(pk=grants["submitted"])

    assert [s.name for s in WORKFLOW.allowed_steps(grant, cast.supervisor)] == ["upload"]
    with pytest.raises(ValidationError, match="supervisor lain yang harus memutuskannya"):
        services.grant_decide(grant=grant, step="approve", by=cast.supervisor)
    assert [s.name for s in WORKFLOW.allowed_steps(grant, cast.other_supervisor)] == [
        "approve",
        "reject",
        "upload",
    ]
