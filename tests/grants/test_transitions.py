"""Every step from every state: allowed only where the status graph allows it, one event each."""

import pytest
from django.core.exceptions import ValidationError

from grants import services
from tests.grants.helpers import Cast, disburse, draft_grant, ready_group, spend

pytestmark = pytest.mark.django_db

# state -> {step: state after the step}
GRAPH = {
    "draft": {"submit": "submitted"},
    "submitted": {"approve": "approved", "reject": "rejected"},
    "rejected": {"submit": "submitted"},
    "approved": {"disburse": "disbursed"},
    "disbursed": {"disburse": "disbursed", "mark_accounted": "accounted"},
    "accounted": {"close": "closed"},
    "closed": {},
}
STEPS = ("submit", "approve", "reject", "disburse", "mark_accounted", "close")


def grant_in(state, cast, group):
    """Walk a grant to `state`: Rp 2.550.000 approved, Rp 2.000.000 of it disbursed and spent."""
    grant = draft_grant(cast, group)
    if state == "draft":
        return grant
    grant = services.grant_submit(grant=grant, by=cast.worker)
    if state == "submitted":
        return grant
    if state == "rejected":
        return services.grant_reject(grant=grant, by=cast.supervisor, reason="Revisi")
    grant = services.grant_approve(grant=grant, by=cast.supervisor)
    if state == "approved":
        return grant
    disburse(cast, grant, 2_000_000, "T-1")
    spend(cast, grant, 2_000_000)
    if state == "disbursed":
        return grant
    grant = services.grant_mark_accounted(grant=grant, by=cast.supervisor)
    if state == "accounted":
        return grant
    return services.grant_close(grant=grant, by=cast.supervisor)


def take(step, grant, cast):
    return {
        "submit": lambda: services.grant_submit(grant=grant, by=cast.worker),
        "approve": lambda: services.grant_approve(grant=grant, by=cast.supervisor),
        "reject": lambda: services.grant_reject(grant=grant, by=cast.supervisor, reason="Tidak"),
        "disburse": lambda: disburse(cast, grant, 1_000, "T-2"),
        "mark_accounted": lambda: services.grant_mark_accounted(grant=grant, by=cast.supervisor),
        "close": lambda: services.grant_close(grant=grant, by=cast.supervisor),
    }[step]()


@pytest.mark.parametrize("state", list(GRAPH))
@pytest.mark.parametrize("step", STEPS)
def test_each_step_is_allowed_only_from_its_states(state, step, hadimulyo_barat):
    cast = Cast(hadimulyo_barat)
    grant = grant_in(state, cast, ready_group(cast, hadimulyo_barat))
    events_before = grant.events.count()

    if step in GRAPH[state]:
        take(step, grant, cast)
        grant.refresh_from_db()
        assert grant.status == GRAPH[state][step]
        assert grant.events.count() == events_before + 1
    else:
        with pytest.raises(ValidationError):
            take(step, grant, cast)
        grant.refresh_from_db()
        assert grant.status == state
        assert grant.events.count() == events_before
