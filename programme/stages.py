"""What stage a group has reached, from forming to a closed grant, what comes next and who takes it.

The statuses, the step that leads on from each, its "next" text and who takes it all come from
each record's state table (`Workflow.next_steps`, `Step.hint`, `Step.actor`); this module only
orders them into the one path a group walks, and says which of two steps waits when the table
offers both (spending still to record, or a visit overdue). It reads a row of
`programme.selectors.group_rows`.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assessments.models import ActionPlan, NeedsAssessment
from grants.models import Grant, MonitoringVisit
from grants.selectors import MONITORING_INTERVAL_DAYS
from metro_slum.formatting import rupiah
from metro_slum.roles import Actor
from participants.selectors import group_roster_gaps

Assessment, Plan, GrantStatus = NeedsAssessment.Status, ActionPlan.Status, Grant.Status

# (key, label) in the order a group walks them.
STAGES = (
    ("forming", _("Forming the group")),
    ("assessment", _("Needs assessment")),
    ("assessment_submitted", _("Needs assessment submitted")),
    ("plan", _("Action plan")),
    ("plan_submitted", _("Action plan submitted")),
    ("proposal", _("Grant proposal")),
    ("grant_submitted", _("Grant submitted")),
    ("grant_approved", _("Grant approved")),
    ("disbursed", _("Disbursed, accountability report (LPJ)")),
    ("monitoring", _("LPJ accepted, monitoring")),
    ("closed", _("Closed")),
)
NUMBERS = {key: number for number, (key, _label) in enumerate(STAGES, start=1)}
LABELS = dict(STAGES)
TOTAL = len(STAGES)


@dataclass(frozen=True)
class Stage:
    key: str
    next_step: str
    # Who takes the next step (metro_slum.roles.Actor), empty at the end.
    actor: str = ""
    detail: str = ""

    @classmethod
    def of_step(cls, key, workflow, step, status, detail="", **params):
        """The stage while `step` of `workflow` waits on a record in `status`."""
        step = workflow[step]
        hint = step.hint_from(status)
        return cls(key, hint % params if params else hint, step.actor, detail)

    @property
    def actor_label(self) -> str:
        return Actor(self.actor).label if self.actor else ""

    @property
    def number(self) -> int:
        return NUMBERS[self.key]

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def total(self) -> int:
        return TOTAL

    @property
    def tone(self) -> str:
        """The badge colour: waiting for someone else, done, or work in hand."""
        if self.key == "closed":
            return "dark"
        if self.actor in (Actor.SUPERVISOR, Actor.CLERK_OR_SUPERVISOR):
            return "warning"
        if self.number >= NUMBERS["grant_approved"]:
            return "success"
        return "secondary"


def _last_visit(row) -> str:
    if not row.last_visit_date:
        return str(_("no visit yet"))
    return _("last visit %(date)s: %(status)s") % {
        "date": date_format(row.last_visit_date, "d/m/Y"),
        "status": MonitoringVisit.BusinessStatus(row.last_visit_status).label,
    }


def _grant_stage(row) -> Stage | None:
    status, table = row.grant_status, Grant.workflow
    if status == GrantStatus.SUBMITTED:
        return Stage.of_step("grant_submitted", table, "approve", status)
    if status == GrantStatus.APPROVED:
        return Stage.of_step("grant_approved", table, "disburse", status)
    if status == GrantStatus.DISBURSED:
        step = "add_spending" if row.spent < row.disbursed else "accept_accountability"
        return Stage.of_step("disbursed", table, step, status, _lpj_detail(row))
    if status == GrantStatus.ACCOUNTED:
        if row.monitoring_due:
            return Stage.of_step(
                "monitoring", table, "record_visit", status, _last_visit(row),
                days=MONITORING_INTERVAL_DAYS,
            )  # fmt: skip
        return Stage.of_step("monitoring", table, "close", status, _last_visit(row))
    if status == GrantStatus.CLOSED:
        return Stage("closed", _("Nothing: the programme's work with this group is done."))
    return None


def _lpj_detail(row) -> str:
    return _("%(spent)s of %(received)s accounted for") % {
        "spent": rupiah(row.spent),
        "received": rupiah(row.disbursed),
    }


def group_stage(row) -> Stage:
    """Return the stage of a group row from `programme.selectors.group_rows`."""
    gaps = group_roster_gaps(row)
    if gaps:
        return Stage(
            "forming",
            _("Complete the group: %(gaps)s.") % {"gaps": "; ".join(gaps)},
            Actor.WORKER,
        )
    grant_stage = _grant_stage(row)
    if grant_stage:
        return grant_stage
    assessment, plan = row.assessment_status, row.plan_status
    if assessment in (None, Assessment.DRAFT, Assessment.RETURNED):
        return Stage.of_step(
            "assessment", NeedsAssessment.workflow, "submit", assessment or Assessment.DRAFT
        )
    if assessment == Assessment.SUBMITTED:
        return Stage.of_step("assessment_submitted", NeedsAssessment.workflow, "review", assessment)
    if plan in (None, Plan.DRAFT, Plan.RETURNED):
        return Stage.of_step("plan", ActionPlan.workflow, "submit", plan or Plan.DRAFT)
    if plan == Plan.SUBMITTED:
        return Stage.of_step("plan_submitted", ActionPlan.workflow, "approve", plan)
    return Stage.of_step(
        "proposal", Grant.workflow, "submit", row.grant_status or GrantStatus.DRAFT
    )
