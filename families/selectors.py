"""What the pages read: a group's follow-ups and outcomes, a household's help, what is overdue."""

import operator
from functools import reduce

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from assessments.models import NeedsAssessment, Problem
from families import services
from families.models import Aid, FollowUp, Measurement, MemberMeasurement
from families.outcomes import charts_of, outcomes_of
from families.services import aid_ranges
from grants.selectors import RECEIVED_STATUSES
from participants.models import HouseholdRank, Membership, Participant
from participants.selectors import household_members

Category, Service = Problem.Category, FollowUp.Service
Milestone = Measurement.Milestone

# The service a problem of a category is usually taken to; the worker can choose another.
SERVICE_FOR_CATEGORY = {
    Category.HEALTH: Service.BPJS_PBI,
    Category.HOUSING: Service.HOUSING,
    Category.EDUCATION: Service.SCHOOLING,
    Category.SOCIAL: Service.DTSEN,
    Category.ECONOMIC: Service.TRAINING,
}


def overdue_q(today=None) -> Q:
    return Q(status__in=FollowUp.ACTIVE_STATUSES, due_date__lt=today or timezone.localdate())


def follow_ups_overdue_exists(group_ref: str = "pk"):
    """Whether the outer group has a follow-up past its date and not settled."""
    return Exists(FollowUp.objects.filter(overdue_q(), group=OuterRef(group_ref)))


def measurement_due_q(
    first_disbursed: str = "first_disbursed_on", grant_status: str = "grant_status", today=None
) -> Q:
    """Groups whose 3-, 6- or 12-month measurement has come and is not recorded: on the rows of
    `programme.selectors.group_rows`, which carry the grant's status and first disbursement."""
    today = today or timezone.localdate()
    received = Q(**{f"{grant_status}__in": RECEIVED_STATUSES})
    return received & reduce(
        operator.or_,
        (
            Q(**{f"{first_disbursed}__lte": services.add_months(today, -months)})
            & ~Exists(Measurement.objects.filter(group=OuterRef("pk"), milestone=months))
            for months in Measurement.FOLLOW_UPS
        ),
    )


def group_follow_ups(group):
    """The group's follow-ups with the problems of its assessment that have none yet."""
    follow_ups = list(
        group.follow_ups.select_related("participant", "problem").order_by("status", "due_date")
    )
    today = timezone.localdate()
    for item in follow_ups:
        item.overdue = item.is_overdue(today)
    assessment = NeedsAssessment.objects.filter(group=group).first()
    unfollowed = []
    if assessment is not None:
        unfollowed = list(
            assessment.problems.exclude(
                Exists(FollowUp.objects.filter(problem=OuterRef("pk")))
            ).order_by("rank")
        )
    return follow_ups, unfollowed


def group_outcomes(group) -> dict:
    measurements = list(group.measurements.order_by("milestone"))
    members = {}
    for row in (
        MemberMeasurement.objects.filter(measurement__group=group)
        .select_related("participant")
        .order_by("participant__full_name", "measurement__milestone")
    ):
        members.setdefault(row.participant, {})[row.measurement.milestone] = row
    first = services.first_disbursed_on(group)
    done = {m.milestone for m in measurements}
    plan = [
        (
            Milestone(m),
            services.add_months(first, m) if first else None,
            m in done,
        )
        for m in Measurement.FOLLOW_UPS
    ]
    figures = outcomes_of(type(group).objects.filter(pk=group.pk))
    return {
        "group": group,
        "measurements": measurements,
        "baseline": next((m for m in measurements if m.milestone == Milestone.BASELINE), None),
        "members": [
            (person, [rows.get(m.milestone) for m in measurements])
            for person, rows in members.items()
        ],
        "milestones": [m for m in Milestone],
        "plan": plan,
        "due": services.measurements_due(group),
        "open": services.measurements_open(group),
        "first_disbursed_on": first,
        "figures": figures,
        "charts": charts_of(figures),
    }


def household_of(participant: Participant, user):
    """The registered members of the participant's household the user may see."""
    return (
        household_members(participant.kk_number, user)
        .select_related("kelurahan__kecamatan")
        .order_by("full_name")
    )


def household_aid(participant: Participant, user) -> list[dict]:
    """Every aid the household's members the user may see received, newest first: the register's
    entries and the programme's own business capital, read from the grants."""
    people = household_members(participant.kk_number, user)
    rows = [
        {
            "date": aid.received_on,
            "kind": aid.kind.name,
            "source": aid.source,
            "recipient": aid.participant,
            "value": aid.value,
            "quantity": aid.quantity,
            "unit": aid.kind.in_kind_unit,
            "note": aid.note,
            "double": aid.possible_double,
            "outside": aid_ranges.outside_words(aid),
            "grant_group": None,
        }
        for aid in aid_ranges.with_range_check(
            Aid.objects.filter(participant__in=people).select_related("kind", "participant")
        )
    ]
    for member, first, total, program in services.grant_aid_for_household(
        participant.kk_number, people=people
    ):
        rows.append(
            {
                "date": first,
                "kind": services.business_capital_name(),
                "source": program,
                "recipient": member.participant,
                "value": total,
                "quantity": None,
                "unit": "",
                "note": member.group.name,
                "double": False,
                "outside": "",
                "grant_group": member.group,
            }
        )
    return sorted(rows, key=lambda r: r["date"], reverse=True)


def household_missing_aid(participant: Participant) -> list:
    """The kinds of aid the household is in range of and receives nothing of
    (families.services.aid_ranges)."""
    return aid_ranges.missing_aid([participant.kk_number]).get(participant.kk_number, [])


def household_follow_ups(participant: Participant, user):
    """Follow-ups for a member of the household the user may see, and those of their groups as a
    whole."""
    people = household_members(participant.kk_number, user)
    groups = Membership.objects.filter(participant__in=people).values("group_id")
    return (
        FollowUp.objects.filter(
            Q(participant__in=people) | Q(scope=FollowUp.Scope.GROUP, group__in=groups)
        )
        .select_related("participant", "group")
        .order_by("status", "due_date")
    )


def family_card(participant: Participant, user) -> dict:
    household = list(household_of(participant, user))
    memberships = (
        Membership.objects.filter(participant__in=household)
        .select_related("participant", "group__program", "group__kelurahan")
        .order_by("group__program__year")
    )
    measured = (
        MemberMeasurement.objects.filter(participant__in=household)
        .select_related("measurement__group", "participant")
        .order_by("participant__full_name", "measurement__milestone")
    )
    follow_ups = list(
        household_follow_ups(participant, user).prefetch_related("events", "evidence")
    )
    today = timezone.localdate()
    for item in follow_ups:
        item.overdue = item.is_overdue(today)
    return {
        "participant": participant,
        "household": household,
        "memberships": memberships,
        "aid": household_aid(participant, user),
        "missing_aid": household_missing_aid(participant),
        "follow_ups": follow_ups,
        "measured": measured,
        "readings": list(HouseholdRank.objects.filter(kk_number=participant.kk_number)),
        "printed": timezone.localtime(),
    }
