"""Every change to follow-ups, aid and outcome measurements, each in one function that the portal,
the admin, the importer and the demo call — one module per job:

- `follow_ups`: a follow-up's status changes like a grant's: the row is locked, the step checked
  against the state table, the change, its event and its evidence written together;
- `aid`: aid of a kind the household already received within the kind's period is refused as a
  possible double unless the user confirms it; it is then saved marked as such;
- `outcomes`: the baseline and the 3-, 6- and 12-month measurements, when each is due;
- `privacy`: what this app holds about a person, and removing it for an anonymised one.
"""

from families.services.aid import (
    EarlierAid,
    aid_check,
    aid_doubles,
    aid_record,
    aid_window,
    business_capital_name,
    double_message,
    grant_aid_for_household,
)
from families.services.calendar import add_months
from families.services.follow_ups import (
    WORKFLOW,
    Status,
    evidence_add,
    follow_up_correct,
    follow_up_create,
    follow_up_step,
    may_correct,
    step_problems,
)
from families.services.outcomes import (
    EARLY_DAYS,
    Milestone,
    baseline_take,
    first_disbursed_on,
    measurement_earliest,
    measurement_record,
    measurement_rows,
    measurements_due,
    measurements_open,
    milestone_due_on,
    not_disbursed_message,
)
from families.services.privacy import person_record, person_traces_remove

__all__ = [
    "EARLY_DAYS", "WORKFLOW", "EarlierAid", "Milestone", "Status", "add_months", "aid_check",
    "aid_doubles", "aid_record", "aid_window", "baseline_take", "business_capital_name",
    "double_message", "evidence_add", "first_disbursed_on", "follow_up_correct",
    "follow_up_create", "follow_up_step", "grant_aid_for_household", "may_correct",
    "measurement_earliest", "measurement_record", "measurement_rows", "measurements_due",
    "measurements_open", "milestone_due_on", "not_disbursed_message", "person_record",
    "person_traces_remove", "step_problems",
]  # fmt: skip
