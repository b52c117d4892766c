"""Reads that need care: related rows fetched in one go, counts annotated, officers first."""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from participants import ranks
from participants.models import (
    MAX_GROUP_MEMBERS,
    Candidate,
    Kelurahan,
    Membership,
    Participant,
    ParticipantGroup,
)

ROLE_ORDER = Case(
    When(role=Membership.Role.KETUA, then=Value(0)),
    When(role=Membership.Role.SEKRETARIS, then=Value(1)),
    When(role=Membership.Role.BENDAHARA, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


# Counted per group in SQL, so that a list of groups says which are complete without a query each.
OFFICER_COUNT_FIELDS = {role: f"{role}_count" for role in Membership.OFFICER_ROLES}


def _members_counted(**condition):
    """The number of the outer group's memberships (matching `condition`), as a subquery: only
    the groups on the page are counted, not every membership of the city before a LIMIT."""
    return Coalesce(
        Subquery(
            Membership.objects.filter(group=OuterRef("pk"), **condition)
            .order_by()
            .values("group")
            .annotate(total=Count("pk"))
            .values("total")[:1]
        ),
        Value(0),
    )


def roster_annotations() -> dict:
    """Return the member count and one count per officer role of each group."""
    return {
        "member_count": _members_counted(),
        **{field: _members_counted(role=role) for role, field in OFFICER_COUNT_FIELDS.items()},
    }


def roster_gaps(member_count: int, officer_roles) -> list[str]:
    """Return what a group lacks to be complete, empty when it is complete.

    This is the one definition of a complete group: ten members, among them a chair (ketua), a
    secretary (sekretaris) and a treasurer (bendahara). Every page, export, gate and stage asks it.
    """
    gaps = []
    if member_count < MAX_GROUP_MEMBERS:
        gaps.append(
            _("%(count)d of %(max)d members, %(more)d more needed")
            % {
                "count": member_count,
                "max": MAX_GROUP_MEMBERS,
                "more": MAX_GROUP_MEMBERS - member_count,
            }
        )
    for role in Membership.OFFICER_ROLES:
        if role not in officer_roles:
            gaps.append(_("no %(role)s") % {"role": Membership.Role(role).label})
    return gaps


def complete_groups_count(groups) -> int:
    """How many of the groups are complete: from each group's roster summary (kept with every
    change of its memberships by the same rule), through an index, for a province's programme."""
    return groups.filter(roster_complete=True).count()


def group_roster_gaps(group, *, fresh: bool = False) -> list[str]:
    """Return what the group lacks to be complete, from its annotations when it has them.

    `fresh` reads the memberships again, as a gate must: annotations may predate a change.
    """
    annotated = hasattr(group, "member_count") and all(
        hasattr(group, field) for field in OFFICER_COUNT_FIELDS.values()
    )
    if annotated and not fresh:
        officers = {role for role, field in OFFICER_COUNT_FIELDS.items() if getattr(group, field)}
        return roster_gaps(group.member_count, officers)
    roles = list(Membership.objects.filter(group_id=group.pk).values_list("role", flat=True))
    return roster_gaps(len(roles), set(roles))


def group_is_complete(group) -> bool:
    return not group_roster_gaps(group)


def incomplete_group_message(group) -> str | None:
    """Return the refusal a gate gives for an incomplete group, naming what is missing."""
    gaps = group_roster_gaps(group, fresh=True)
    if not gaps:
        return None
    return _("The group is not complete: %(gaps)s. Complete the group first.") % {
        "gaps": "; ".join(gaps)
    }


def groups_with_chair():
    """Return groups with their place, programme and chair's name in one query."""
    # One chair per group (a unique index): no order needed, and none that would join the groups.
    chair = (
        Membership.objects.filter(group=OuterRef("pk"), role=Membership.Role.KETUA)
        .order_by()
        .values("participant__full_name")[:1]
    )
    return ParticipantGroup.objects.select_related("program", "kelurahan__kecamatan").annotate(
        chair_name=Subquery(chair)
    )


def group_list():
    """Return groups with their place, programme, roster counts and chair's name in one query."""
    return groups_with_chair().annotate(**roster_annotations())


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


def sees_every_kelurahan(user) -> bool:
    return user.has_perm("participants.view_all_kelurahan")


def in_users_kelurahan(user, field: str = "kelurahan") -> Q:
    """The condition "in the user's kelurahan" on `field`, with the kelurahan written out.

    The ids are read first (one small query): the database then plans each list with the real
    kelurahan, not a subquery it must guess about, and a supervisor's lists carry no condition.
    """
    if sees_every_kelurahan(user):
        return Q()
    ids = list(user.kelurahan_assignments.values_list("kelurahan_id", flat=True))
    return Q(**{f"{field}__in": ids})


def _in_scope(user, kelurahan_id) -> bool:
    if user.has_perm("participants.view_all_kelurahan"):
        return True
    return user.kelurahan_assignments.filter(kelurahan_id=kelurahan_id).exists()


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def groups_for_user(user):
    return group_list().filter(in_users_kelurahan(user))


def participants_for_user(user):
    return Participant.objects.filter(in_users_kelurahan(user)).select_related(
        "kelurahan__kecamatan"
    )


def household_members(kk_number: str, user=None):
    """The registered members of a household (one family card) that the user may see.

    Every read of a household goes through here: a family card whose members are registered in
    several kelurahan shows a social worker only the members in theirs, and with them only their
    aid, follow-ups and grants. Without a user: all of them, for the office's own checks (a
    possible double, the households reached), which show no one's details.
    """
    people = Participant.objects.filter(kk_number=kk_number)
    return people if user is None else people.filter(in_users_kelurahan(user))


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


# A grant's statuses once money reached the group.
FUNDED_GRANT_STATUSES = ("disbursed", "accounted", "closed")


def participants_eligible_for(group):
    """Return residents of the group's kelurahan who are in no group of its programme yet, each
    with `funded_in`: the latest year of an earlier programme whose grant reached their group."""
    funded = (
        Membership.objects.filter(
            participant=OuterRef("pk"), group__grants__status__in=FUNDED_GRANT_STATUSES
        )
        .exclude(program_id=group.program_id)
        .order_by("-group__program__year")
        .values("group__program__year")[:1]
    )
    return (
        Participant.objects.filter(kelurahan_id=group.kelurahan_id)
        .exclude(memberships__program_id=group.program_id)
        .annotate(funded_in=Subquery(funded))
        .order_by("full_name")
    )


def groups_open_to(participant, user):
    """Return the groups the user may add this person to: in the person's kelurahan, of an active
    programme the person is in no group of yet, with a place left; fullest first."""
    taken = participant.memberships.values("program_id")
    return (
        groups_for_user(user)
        .filter(kelurahan_id=participant.kelurahan_id, program__is_active=True)
        .exclude(program_id__in=taken)
        .filter(member_count__lt=MAX_GROUP_MEMBERS)
        .order_by("-member_count", "name")
    )


def candidates_for_user(user):
    """The residents DTSEN lists name in my kelurahan who are not in the programme, poorest
    household first (by its latest rank; unranked last), then by name."""
    _require(user, "participants.view_candidate")
    return (
        Candidate.objects.unregistered()
        .filter(in_users_kelurahan(user))
        .select_related("kelurahan")
        .annotate(**ranks.rank_columns())
        .order_by(F("rank_desil").asc(nulls_last=True), "full_name", "pk")
    )


def candidate_get_for_user(user, pk):
    """A candidate to register: in my kelurahan and not registered yet, else 404."""
    _require(user, "participants.add_participant")
    return get_object_or_404(candidates_for_user(user), pk=pk)


def kelurahan_workers(kelurahan_id):
    """The active users assigned to work in a kelurahan: who is told of its groups' news."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, kelurahan_assignments__kelurahan_id=kelurahan_id)
        .distinct()
    )
