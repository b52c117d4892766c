"""Reads that need care: related rows fetched in one go, counts annotated, officers first."""

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When

from participants.models import Membership, ParticipantGroup

ROLE_ORDER = Case(
    When(role=Membership.Role.KETUA, then=Value(0)),
    When(role=Membership.Role.SEKRETARIS, then=Value(1)),
    When(role=Membership.Role.BENDAHARA, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def group_list():
    """Return groups with their place, programme, member count and chair's name in one query."""
    chair = Membership.objects.filter(group=OuterRef("pk"), role=Membership.Role.KETUA).values(
        "participant__full_name"
    )[:1]
    return ParticipantGroup.objects.select_related("program", "kelurahan__kecamatan").annotate(
        member_count=Count("memberships", distinct=True),
        chair_name=Subquery(chair),
    )


def group_members(group):
    """Return the members of a group, officers first (chair, secretary, treasurer), then by name."""
    return (
        group.memberships.select_related("participant__kelurahan")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "participant__full_name")
    )
