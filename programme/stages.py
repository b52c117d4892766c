"""What stage a group has reached, from forming to a closed grant, what comes next and who takes it.

The statuses come from each record's workflow table; this module only orders them into the one
path a group walks. It reads a row of `programme.selectors.group_rows`.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assessments.models import ActionPlan, NeedsAssessment
from grants.models import CLERK_OR_SUPERVISOR, SOCIAL_WORKER, SUPERVISOR, Grant, MonitoringVisit
from grants.selectors import MONITORING_INTERVAL_DAYS
from metro_slum.formatting import rupiah
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
    # Who takes the next step ("social worker", "supervisor"...), empty at the end.
    actor: str = ""
    detail: str = ""

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
        if self.actor == SUPERVISOR or self.actor == CLERK_OR_SUPERVISOR:
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
    status = row.grant_status
    if status == GrantStatus.SUBMITTED:
        return Stage(
            "grant_submitted", _("A supervisor approves or rejects the grant."), SUPERVISOR
        )
    if status == GrantStatus.APPROVED:
        return Stage(
            "grant_approved",
            _("Hand over the money and record the disbursement with its handover minutes."),
            CLERK_OR_SUPERVISOR,
        )
    if status == GrantStatus.DISBURSED:
        if row.spent < row.disbursed:
            return Stage(
                "disbursed",
                _("Record the group's spending with receipts (LPJ)."),
                SOCIAL_WORKER,
                _lpj_detail(row),
            )
        return Stage(
            "disbursed",
            _("A supervisor checks and accepts the accountability report (LPJ)."),
            SUPERVISOR,
            _lpj_detail(row),
        )
    if status == GrantStatus.ACCOUNTED:
        if row.monitoring_due:
            return Stage(
                "monitoring",
                _("Visit the business: no monitoring visit in the last %(days)d days.")
                % {"days": MONITORING_INTERVAL_DAYS},
                SOCIAL_WORKER,
                _last_visit(row),
            )
        return Stage(
            "monitoring",
            _("Keep visiting the business; a supervisor closes the grant when follow-up ends."),
            SUPERVISOR,
            _last_visit(row),
        )
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
            SOCIAL_WORKER,
        )
    grant_stage = _grant_stage(row)
    if grant_stage:
        return grant_stage
    assessment, plan = row.assessment_status, row.plan_status
    if assessment in (None, Assessment.DRAFT, Assessment.RETURNED):
        next_step = (
            _("Correct the needs assessment as the supervisor asked, then submit it again.")
            if assessment == Assessment.RETURNED
            else _("Record the participatory needs assessment and submit it.")
        )
        return Stage("assessment", next_step, SOCIAL_WORKER)
    if assessment == Assessment.SUBMITTED:
        return Stage(
            "assessment_submitted", _("A supervisor reviews the needs assessment."), SUPERVISOR
        )
    if plan in (None, Plan.DRAFT, Plan.RETURNED):
        next_step = (
            _("Correct the action plan as the supervisor asked, then submit it again.")
            if plan == Plan.RETURNED
            else _("Draw up the action plan and budget (RAB) and submit it.")
        )
        return Stage("plan", next_step, SOCIAL_WORKER)
    if plan == Plan.SUBMITTED:
        return Stage("plan_submitted", _("A supervisor approves the action plan."), SUPERVISOR)
    if row.grant_status == GrantStatus.REJECTED:
        return Stage(
            "proposal",
            _("Revise the grant proposal as the supervisor asked, then submit it again."),
            SOCIAL_WORKER,
        )
    return Stage(
        "proposal", _("Prepare the business-capital grant proposal and submit it."), SOCIAL_WORKER
    )
