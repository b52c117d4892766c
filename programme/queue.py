"""The work that waits, per role: what is in whose hands now, counted and linked to the list.

Each item is a condition on the group rows of `programme.selectors.group_rows`, so the count on the
home page, the count on the admin index and the list behind them cannot disagree.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import ActionPlan, NeedsAssessment
from complaints import queue as complaint_queue
from grants.models import Grant
from grants.selectors import MONITORING_INTERVAL_DAYS
from metro_slum.waiting import Waiting
from slums import queue as slum_queue

Assessment, Plan, GrantStatus = NeedsAssessment.Status, ActionPlan.Status, Grant.Status


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    condition: Q
    # The user sees the item with any of these permissions.
    permissions: tuple[str, ...]
    # Where the same records are listed in admin: (changelist URL name, filters), if anywhere.
    admin: tuple[str, dict] | None = None


def _overdue_label():
    return gettext("Businesses with no monitoring visit in the last %(days)d days") % {
        "days": MONITORING_INTERVAL_DAYS
    }


def _any_record_in(assessment: str, plan: str, grant: str) -> Q:
    """Groups whose assessment, plan or grant is in the given status: three lookups by each
    table's status (an OR over the three joined columns would read every group)."""
    return (
        Q(pk__in=NeedsAssessment.objects.filter(status=assessment).values("group_id"))
        | Q(pk__in=ActionPlan.objects.filter(status=plan).values("group_id"))
        | Q(pk__in=Grant.objects.filter(status=grant).values("group_id"))
    )


ITEMS = (
    Item(
        "asesmen-ditinjau",
        _("Needs assessments to review"),
        Q(assessment_status=Assessment.SUBMITTED),
        ("assessments.review_needsassessment",),
        ("admin:assessments_needsassessment_changelist", {"status__exact": Assessment.SUBMITTED}),
    ),
    Item(
        "rencana-disetujui",
        _("Action plans to approve"),
        Q(plan_status=Plan.SUBMITTED),
        ("assessments.review_actionplan",),
        ("admin:assessments_actionplan_changelist", {"status__exact": Plan.SUBMITTED}),
    ),
    Item(
        "bantuan-diputuskan",
        _("Grants to decide"),
        Q(grant_status=GrantStatus.SUBMITTED),
        ("grants.decide_grant",),
        ("admin:grants_grant_changelist", {"status__exact": GrantStatus.SUBMITTED}),
    ),
    Item(
        "lpj-diterima",
        _("Accountability reports (LPJ) to accept"),
        Q(grant_status=GrantStatus.DISBURSED),
        ("grants.accept_accountability",),
        ("admin:grants_grant_changelist", {"status__exact": GrantStatus.DISBURSED}),
    ),
    Item(
        "dicairkan",
        _("Approved grants awaiting disbursement"),
        Q(grant_status=GrantStatus.APPROVED),
        ("grants.add_disbursement",),
        ("admin:grants_grant_changelist", {"status__exact": GrantStatus.APPROVED}),
    ),
    Item(
        "dikembalikan",
        _("Returned or rejected: to correct"),
        _any_record_in(Assessment.RETURNED, Plan.RETURNED, GrantStatus.REJECTED),
        ("assessments.change_needsassessment", "grants.change_grant"),
    ),
    Item(
        "draf",
        _("Drafts to finish"),
        _any_record_in(Assessment.DRAFT, Plan.DRAFT, GrantStatus.DRAFT),
        ("assessments.change_needsassessment", "grants.change_grant"),
    ),
    Item(
        "pemantauan",
        lazy(_overdue_label, str)(),
        Q(monitoring_due=True),
        ("grants.add_monitoringvisit", "grants.accept_accountability"),
        ("admin:grants_grant_changelist", {"pemantauan": "terlambat"}),
    ),
    Item(
        "tindak-lanjut",
        _("Follow-ups past their date"),
        Q(follow_ups_overdue=True),
        ("families.change_followup", "families.reopen_followup"),
        ("admin:families_followup_changelist", {"tenggat": "lewat"}),
    ),
    Item(
        "pengukuran-hasil",
        _("Outcome measurements due (3, 6, 12 months)"),
        Q(measurement_due=True),
        ("families.add_measurement", "grants.accept_accountability"),
    ),
)
BY_KEY = {item.key: item for item in ITEMS}


def items_for(user) -> list[Item]:
    return [item for item in ITEMS if any(user.has_perm(p) for p in item.permissions)]


def work_for(user, rows) -> list[Waiting]:
    """Count each item of the user's role among the rows they may see: one count per item.

    Each count asks only its own condition, so the database reads the status indexes and joins
    that item needs (the number of queries does not grow with the groups); the list behind a
    count filters the same rows with the same condition.
    """
    groups = [
        Waiting(item, rows.filter(item.condition).count(), "programme:work")
        for item in items_for(user)
    ]
    # Then the complaints and the slum surveys that wait for this user: not group rows.
    return groups + complaint_queue.work_for(user) + slum_queue.work_for(user)
