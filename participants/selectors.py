"""Reads that need care: related rows fetched in one go, counts annotated, officers first."""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.shortcuts import get_object_or_404

from participants.models import Kelurahan, Membership, Participant, ParticipantGroup

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
        officer_count=Count(
            "memberships",
            filter=Q(memberships__role__in=Membership.OFFICER_ROLES),
            distinct=True,
        ),
        chair_name=Subquery(chair),
    )


def group_members(group):
    """Return the members of a group, officers first (chair, secretary, treasurer), then by name."""
    return (
        group.memberships.select_related("participant__kelurahan")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "participant__full_name")
    )


def kelurahan_for_user(user):
    """Return the kelurahan whose groups and participants the user may see."""
    if user.has_perm("participants.view_all_kelurahan"):
        return Kelurahan.objects.select_related("kecamatan")
    return Kelurahan.objects.filter(assignments__user=user).select_related("kecamatan")


def _in_scope(user, kelurahan_id) -> bool:
    if user.has_perm("participants.view_all_kelurahan"):
        return True
    return user.kelurahan_assignments.filter(kelurahan_id=kelurahan_id).exists()


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def groups_for_user(user):
    return group_list().filter(kelurahan__in=kelurahan_for_user(user).values("pk"))


def participants_for_user(user):
    return Participant.objects.filter(
        kelurahan__in=kelurahan_for_user(user).values("pk")
    ).select_related("kelurahan__kecamatan")


def group_get_for_user(user, pk, perm="participants.view_participantgroup", queryset=None):
    """Fetch a group the user may work on: 404 if there is none, 403 outside their kelurahan."""
    _require(user, perm)
    group = get_object_or_404(group_list() if queryset is None else queryset, pk=pk)
    if not _in_scope(user, group.kelurahan_id):
        raise PermissionDenied
    return group


def participant_get_for_user(user, pk, perm="participants.view_participant"):
    """Fetch a participant the user may see: 404 if there is none, 403 outside their kelurahan."""
    _require(user, perm)
    participant = get_object_or_404(
        Participant.objects.select_related("kelurahan__kecamatan"), pk=pk
    )
    if not _in_scope(user, participant.kelurahan_id):
        raise PermissionDenied
    return participant


def participants_eligible_for(group):
    """Return residents of the group's kelurahan who are in no group of its programme yet."""
    return (
        Participant.objects.filter(kelurahan_id=group.kelurahan_id)
        .exclude(memberships__program_id=group.program_id)
        .order_by("full_name")
    )
