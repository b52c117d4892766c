"""The slum surveys that wait, counted for the home page beside the groups' work: submitted ones
for the supervisor to review, drafts and returned ones for the social worker to finish. Each is
one condition, so the count and its list (the slum page, ?perlu=...) agree."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metro_slum.waiting import Waiting
from participants.selectors import in_users_kelurahan
from slums.models import Survey


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    condition: Q
    permission: str


ITEMS = (
    Item(
        "survei-kumuh-ditinjau",
        _("Slum surveys to review"),
        Q(status=Survey.Status.SUBMITTED),
        "slums.review_survey",
    ),
    Item(
        "survei-kumuh-draf",
        _("Slum surveys to finish or correct"),
        Q(status__in=Survey.EDITABLE_STATUSES),
        "slums.change_survey",
    ),
)
BY_KEY = {item.key: item for item in ITEMS}


def items_for(user) -> list[Item]:
    return [item for item in ITEMS if user.has_perm(item.permission)]


def surveys_for(user, item: Item):
    return (
        Survey.objects.filter(in_users_kelurahan(user, "rt__rw__kelurahan"))
        .filter(item.condition)
        .select_related("rt__rw__kelurahan")
        .order_by("surveyed_on", "pk")
    )


def work_for(user) -> list[Waiting]:
    return [
        Waiting(item, surveys_for(user, item).order_by().count(), "slums:index")
        for item in items_for(user)
    ]
