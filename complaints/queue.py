"""The complaints that wait, per role, counted for the home page beside the groups' work: new
ones to assess, those assigned to me, those past a deadline (the supervisor), those escalated
further (the head of office). Each is one condition, so the count and its list agree."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints import selectors
from complaints.models import HANDLE, Complaint
from metro_slum.waiting import Waiting


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    condition: Callable  # user -> Q
    # Whether the user sees this item.
    for_user: Callable


def _handles(user) -> bool:
    return user.has_perm(HANDLE)


def _handles_or_oversees(user) -> bool:
    return user.has_perm(HANDLE) or user.has_perm("complaints.oversee_complaints")


ITEMS = (
    Item(
        "pengaduan-baru",
        _("New complaints to assess"),
        lambda user: Q(status=Complaint.Status.RECEIVED),
        _handles,
    ),
    Item(
        "pengaduan-saya",
        _("Open complaints assigned to me"),
        lambda user: Q(owner=user, status__in=Complaint.ACTIVE_STATUSES),
        _handles,
    ),
    Item(
        "pengaduan-terlambat",
        _("Complaints past their deadline"),
        lambda user: selectors.overdue(),
        # One number for the supervisors and the head of office alike.
        _handles_or_oversees,
    ),
    Item(
        "pengaduan-eskalasi",
        _("Overdue complaints escalated to the head of office"),
        lambda user: selectors.escalated_to_head(),
        lambda user: user.has_perm("complaints.oversee_complaints"),
    ),
    Item(
        "pengaduan-terbuka",
        _("Open complaints in my kelurahan"),
        lambda user: Q(status__in=Complaint.ACTIVE_STATUSES),
        lambda user: (
            user.has_perm(selectors.VIEW)
            and not user.has_perm(HANDLE)
            and not user.has_perm("complaints.oversee_complaints")
        ),
    ),
)
BY_KEY = {item.key: item for item in ITEMS}


def items_for(user) -> list[Item]:
    return [item for item in ITEMS if item.for_user(user)]


def work_for(user) -> list[Waiting]:
    """One count per item of the user's role, among the complaints they may see."""
    visible = selectors.complaints_for(user).order_by()
    return [
        Waiting(item, visible.filter(item.condition(user)).count(), "complaints:list")
        for item in items_for(user)
    ]
