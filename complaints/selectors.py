"""Who sees which complaints, and which are late: read once here for the lists, the work queue,
the group and person pages and the report."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from complaints.models import Complaint
from metro_slum.working_days import add_working_days, is_working_day
from participants.selectors import in_users_kelurahan, sees_every_kelurahan

VIEW = "complaints.view_complaint"
SENSITIVE = "complaints.view_sensitive_complaint"
# Working days past a deadline after which an overdue complaint reaches the head of office.
ESCALATE_TO_HEAD_AFTER = 5


def may_see(user, complaint: Complaint) -> bool:
    """Whether the user may see this complaint: a sensitive one only with the designated role
    (never the kelurahan's worker, who may be the one complained about)."""
    if user is None or not user.has_perm(VIEW):
        return False
    if complaint.sensitive:
        return user.has_perm(SENSITIVE)
    if sees_every_kelurahan(user) or user.has_perm(SENSITIVE):
        return True
    return complaint.created_by_id == user.pk or (
        complaint.kelurahan_id is not None
        and user.kelurahan_assignments.filter(kelurahan_id=complaint.kelurahan_id).exists()
    )


def visible_to(user) -> Q:
    """The condition "this user may see it" on complaints."""
    if user is None or not user.has_perm(VIEW):
        return Q(pk__in=[])
    sensitive = Q(sensitive=True) if user.has_perm(SENSITIVE) else Q(pk__in=[])
    if sees_every_kelurahan(user) or user.has_perm(SENSITIVE):
        return Q(sensitive=False) | sensitive
    own = in_users_kelurahan(user) | Q(created_by=user)
    return (Q(sensitive=False) & own) | sensitive


def complaints_for(user):
    return Complaint.objects.filter(visible_to(user)).select_related("kelurahan", "owner", "group")


def complaint_get_for_user(user, pk) -> Complaint:
    """A complaint the user may see: 404 if there is none, 403 otherwise."""
    if user is None or not user.has_perm(VIEW):
        raise PermissionDenied
    complaint = get_object_or_404(
        Complaint.objects.select_related(
            "kelurahan", "owner", "group", "participant", "grant__group", "disbursement"
        ),
        pk=pk,
    )
    if not may_see(user, complaint):
        raise PermissionDenied
    return complaint


def overdue(today=None) -> Q:
    """Waiting past a deadline: no first answer by its date, or not resolved by its date."""
    today = today or timezone.localdate()
    return Q(status__in=Complaint.ACTIVE_STATUSES) & (
        Q(answered_on__isnull=True, first_answer_due__lt=today) | Q(resolution_due__lt=today)
    )


def _working_days_before(today, days: int):
    """The day that lies `days` working days before today."""
    day = today
    while add_working_days(day, days) > today or not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def escalated_to_head(today=None) -> Q:
    """Overdue by more than ESCALATE_TO_HEAD_AFTER working days: the head of office sees it."""
    today = today or timezone.localdate()
    return overdue(_working_days_before(today, ESCALATE_TO_HEAD_AFTER))


def escalation(complaint: Complaint, today=None) -> str:
    """Who an overdue complaint has reached: '', 'supervisor' or 'head'."""
    today = today or timezone.localdate()
    if not complaint.overdue(today):
        return ""
    if complaint.overdue(_working_days_before(today, ESCALATE_TO_HEAD_AFTER)):
        return "head"
    return "supervisor"


def linked_to(user, *, group=None, participant=None):
    """The complaints about a group (its grant and tranches included) or a person that the user
    may see, newest first."""
    about = Q(pk__in=[])
    if group is not None:
        about |= Q(group=group) | Q(grant__group=group) | Q(disbursement__grant__group=group)
    if participant is not None:
        about |= Q(participant=participant)
    return complaints_for(user).filter(about)
