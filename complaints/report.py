"""The complaints report for a period (a month, usually): received, closed, closed on time and
still overdue, by category and kelurahan, over the complaints the reader may see."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from complaints import selectors
from complaints.models import Category, Complaint


@dataclass
class Line:
    category: str
    kelurahan: str
    received: int = 0
    closed: int = 0
    on_time: int = 0
    overdue: int = 0

    @property
    def on_time_share(self) -> float | None:
        """Of those closed in the period, the share closed by their resolution date."""
        return self.on_time / self.closed if self.closed else None


def figures(*, user, start, end, place=None) -> list[Line]:
    """One line per category and kelurahan that had anything in the period, in the category
    list's order; the counts read in three queries whatever the number of complaints."""
    visible = selectors.complaints_for(user).order_by()
    if place is not None:
        visible = visible.filter(kelurahan=place)
    closed = Q(status__in=Complaint.CLOSED_STATUSES, status_date__range=(start, end))
    lines: dict = defaultdict(dict)

    def count(queryset, key, **extra):
        rows = queryset.values("category", "kelurahan__name").annotate(n=Count("pk"), **extra)
        for row in rows:
            line = lines[row["category"]].setdefault(
                row["kelurahan__name"] or "",
                Line(Category(row["category"]).label, row["kelurahan__name"] or "–"),
            )
            setattr(line, key, row["n"])
            if "late" in row:
                line.on_time = row["n"] - row["late"]

    count(visible.filter(received_on__range=(start, end)), "received")
    count(
        visible.filter(closed),
        "closed",
        late=Count("pk", filter=Q(status_date__gt=F("resolution_due"))),
    )
    count(visible.filter(selectors.overdue(min(end, timezone.localdate()))), "overdue")
    return [
        line
        for category in Category.values
        for _place, line in sorted(lines.get(category, {}).items())
    ]
