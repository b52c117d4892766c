"""One row per group with every stage's status, its money and its last monitoring visit, in one
query; and the programme's totals, counted by the database over the same groups."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from families.models import FollowUp, Measurement
from families.outcomes import outcomes_of
from families.selectors import follow_ups_overdue_exists, measurement_due_q
from families.services import measurements_open
from grants.models import Grant, MonitoringVisit, PlaceFigures
from grants.selectors import (
    COMMITTED_STATUSES,
    MONEY,
    REQUESTED_STATUSES,
    last_visit_subquery,
    monitoring_due_q,
    places_sum,
    spent_subquery,
)
from participants.models import Kelurahan, Membership, ParticipantGroup, Program
from participants.selectors import (
    complete_groups_count,
    group_is_complete,
    group_list,
    in_users_kelurahan,
)
from programme.stages import group_stage


def _grant_field(name: str):
    # A group has at most one grant (one group per programme, one grant per group and programme,
    # a constraint each), so the grant is joined, not asked for in a subquery per group: a list
    # filtered on the grant's status then reads the grants' status index.
    return F(f"grants__{name}")


def group_rows(queryset=None):
    """Return groups annotated with what the stage tracker, dashboard and work queue read."""
    queryset = group_list() if queryset is None else queryset
    return queryset.annotate(
        assessment_status=F("needs_assessment__status"),
        plan_status=F("action_plan__status"),
        grant_pk=_grant_field("pk"),
        grant_status=_grant_field("status"),
        amount_requested=_grant_field("amount_requested"),
        amount_approved=_grant_field("amount_approved"),
        disbursed=Coalesce(_grant_field("disbursed_amount"), Value(0), output_field=MONEY),
        spent=spent_subquery("grant__group"),
        first_disbursed_on=_grant_field("first_tranche_on"),
        last_visit_date=_grant_field("last_visit_on"),
        last_visit_status=_grant_field("last_visit_status"),
        last_visit_revenue=last_visit_subquery("monthly_revenue", "grant__group"),
    ).annotate(
        monitoring_due=ExpressionWrapper(
            monitoring_due_q(status="grant_status"), output_field=BooleanField()
        ),
        follow_ups_overdue=follow_ups_overdue_exists(),
        measurement_due=ExpressionWrapper(measurement_due_q(), output_field=BooleanField()),
    )


# By kelurahan (whose ids follow their codes, and so their kecamatan) and name: within one
# programme the (programme, kelurahan, name) index gives the order without sorting every group.
ROW_ORDER = ("program__year", "kelurahan_id", "name", "pk")


def with_stages(rows) -> list:
    """Evaluate rows and attach each one's stage."""
    rows = list(rows)
    for row in rows:
        row.stage = group_stage(row)
        row.complete = group_is_complete(row)
        row.last_visit_label = (
            MonitoringVisit.BusinessStatus(row.last_visit_status).label
            if row.last_visit_status
            else ""
        )
    return rows


def programmes():
    return Program.objects.order_by("-is_active", "-year", "name")


def default_programme(today=None):
    """The programme pages open on: the active one whose period holds today (the latest if
    several), else the latest that has started, else the latest of all.

    A programme created for next year does not take the dashboard before it begins.
    """
    today = today or timezone.localdate()
    running = programmes().filter(is_active=True, start_date__lte=today, end_date__gte=today)
    started = Program.objects.filter(start_date__lte=today).order_by("-start_date", "-year")
    return running.first() or started.first() or programmes().first()


@dataclass
class Totals:
    groups: int = 0
    complete_groups: int = 0
    participants: int = 0
    requested: Decimal = Decimal(0)
    approved: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    funded: int = 0  # grants with money disbursed
    accounted: Decimal = Decimal(0)
    grants_by_status: Counter = field(default_factory=Counter)
    businesses: Counter = field(default_factory=Counter)
    budget: Decimal | None = None
    # (kelurahan, [approved, disbursed]) of the committed grants, in the kelurahan's order.
    money_by_kelurahan: list = field(default_factory=list)
    # ("MM/YYYY", total) of the monitored businesses' monthly revenue, oldest first.
    revenue: list = field(default_factory=list)

    @property
    def budget_left(self):
        return None if self.budget is None else self.budget - self.approved


def programme_totals(groups, places, program=None) -> Totals:
    """The totals of the groups (a queryset) and of their grants: a few aggregates whatever the
    number of groups (a province's programme has a hundred thousand), exact over all of them
    while the page shows their rows fifty at a time. The grants' figures are the kept sums of
    the same groups' places (`places`, PlaceFigures of the same programmes and kelurahan)."""
    totals = Totals(budget=program.total_budget if program is not None else None)
    totals.groups = groups.count()
    totals.complete_groups = complete_groups_count(groups)
    totals.participants = groups.aggregate(members=Sum("roster_size"))["members"] or 0
    kept = places_sum(places)
    committed_by_place, disbursed_by_place = Counter(), Counter()
    for count in kept.counts:
        totals.grants_by_status[count.status] += count.grants
        if count.business_status:
            totals.businesses[count.business_status] += count.grants
        if count.status in REQUESTED_STATUSES:
            totals.requested += count.requested
        if count.status in COMMITTED_STATUSES:
            totals.approved += count.approved
            committed_by_place[count.kelurahan_id] += count.approved
        disbursed_by_place[count.kelurahan_id] += count.disbursed
        totals.disbursed += count.disbursed
        totals.funded += count.funded
    totals.accounted = kept.accounted
    totals.revenue = [(f"{month:%m/%Y}", total) for month, total in sorted(kept.revenue.items())]
    names = Kelurahan.objects.filter(pk__in=committed_by_place).order_by("kecamatan__code", "code")
    totals.money_by_kelurahan = [
        (k.name, [committed_by_place[k.pk], disbursed_by_place[k.pk]]) for k in names
    ]
    return totals


@dataclass
class RecapLine:
    kelurahan: Kelurahan
    groups: int = 0
    businesses: list = field(default_factory=list)  # (label, groups)


def recap_by_kelurahan(groups) -> list[RecapLine]:
    """The programme's table by kecamatan and kelurahan: its groups and their businesses."""
    counts = (
        groups.order_by()
        .values("kelurahan", "business_type", "business_type_other")
        .annotate(n=Count("pk"))
    )
    lines: dict[int, RecapLine] = {}
    places = {k.pk: k for k in Kelurahan.objects.select_related("kecamatan")}
    labels = dict(ParticipantGroup.BusinessType.choices)
    for row in counts:
        line = lines.setdefault(row["kelurahan"], RecapLine(places[row["kelurahan"]]))
        line.groups += row["n"]
        label = (
            row["business_type_other"]
            if row["business_type"] == ParticipantGroup.BusinessType.OTHER
            else labels.get(row["business_type"], "")
        )
        line.businesses.append((label, row["n"]))
    return sorted(
        lines.values(), key=lambda line: (line.kelurahan.kecamatan.code, line.kelurahan.code)
    )


def status_counts(counter: Counter, choices) -> list[tuple[str, str, int]]:
    """Return (value, label, count) for every choice, zero counts included, in choice order."""
    return [(choice.value, choice.label, counter.get(choice.value, 0)) for choice in choices]


def business_counts(totals: Totals):
    return status_counts(totals.businesses, MonitoringVisit.BusinessStatus)


def grant_counts(totals: Totals):
    return status_counts(totals.grants_by_status, Grant.Status)


@dataclass(frozen=True)
class Scope:
    """What one page may show: the groups of the user's kelurahan, of one programme and/or one
    kelurahan, as groups, as rows with every stage, as lean rows (no member counts: the work
    queue counts them in one query), and the kept grant figures of the same places. A page takes
    all it shows from one Scope, so its list, its totals and its figures are of the same groups.
    """

    user: object
    program: Program | None = None
    kelurahan: Kelurahan | None = None

    def _narrow(self, rows):
        rows = rows.filter(in_users_kelurahan(self.user))
        if self.program is not None:
            rows = rows.filter(program=self.program)
        if self.kelurahan is not None:
            rows = rows.filter(kelurahan=self.kelurahan)
        return rows

    def groups(self):
        return self._narrow(ParticipantGroup.objects.all())

    def rows(self):
        """The group rows, ordered by kelurahan and name."""
        return self._narrow(group_rows()).order_by(*ROW_ORDER)

    def lean_rows(self):
        return self._narrow(group_rows(ParticipantGroup.objects.all()))

    def places(self):
        """The kept grant figures of the same groups: a row per programme and kelurahan."""
        return self._narrow(PlaceFigures.objects.all())

    def totals(self) -> Totals:
        return programme_totals(self.groups(), self.places(), self.program)


@dataclass
class Chapter:
    """One programme in a kelurahan's story: its groups, money, help and outcomes."""

    program: Program
    groups: int = 0
    members: int = 0
    disbursed: Decimal = Decimal(0)
    figures: object = None


def kelurahan_story(place, figures=None) -> list[Chapter]:
    """The kelurahan's programmes, newest first, each with what it brought and what came of it:
    groups, members and money counted in the database, per programme. `figures`, the outcomes of
    all the kelurahan's groups when already asked, are its one programme's when it has one."""
    groups = ParticipantGroup.objects.filter(kelurahan=place)

    def per_programme(queryset, programme: str, total) -> dict:
        rows = queryset.order_by().values(programme).annotate(total=total)
        return {row[programme]: row["total"] for row in rows}

    rows = groups.order_by().values("program").annotate(n=Count("pk"), members=Sum("roster_size"))
    chapters = {
        row["program"]: Chapter(program=None, groups=row["n"], members=row["members"] or 0)
        for row in rows
    }
    money = Grant.objects.filter(group__kelurahan=place)
    for pk, total in per_programme(money, "program", Sum("disbursed_amount")).items():
        chapters[pk].disbursed = total or Decimal(0)
    for program in Program.objects.filter(pk__in=chapters):
        chapter = chapters[program.pk]
        chapter.program = program
        if figures is not None and len(chapters) == 1:
            chapter.figures = figures
        else:
            chapter.figures = outcomes_of(groups.filter(program=program))
    return sorted(chapters.values(), key=lambda c: -c.program.year)


def offline_pages(user) -> list[str]:
    """The pages a social worker's phone keeps to read without a connection: home, and for each
    group of their own kelurahan in an active programme its page, its assessment and plan, its
    grant's page, its members' pages, its open follow-ups, its visits' correction forms and its
    open measurements. Nobody else's phone keeps
    pages (they see every kelurahan)."""
    if user.has_perm("participants.view_all_kelurahan") or not user.has_perm(
        "participants.view_participantgroup"
    ):
        return []
    groups = ParticipantGroup.objects.filter(in_users_kelurahan(user), program__is_active=True)
    group_ids = list(groups.order_by("pk").values_list("pk", flat=True))
    with_grant = set(Grant.objects.filter(group__in=group_ids).values_list("group_id", flat=True))
    members = (
        Membership.objects.filter(group__in=group_ids)
        .order_by("participant_id")
        .values_list("participant_id", flat=True)
        .distinct()
    )
    follow_ups = FollowUp.objects.filter(
        group__in=group_ids, status__in=FollowUp.ACTIVE_STATUSES
    ).values_list("pk", flat=True)
    visits = (
        MonitoringVisit.objects.filter(grant__group__in=group_ids)
        .order_by("pk")
        .values_list("grant__group_id", "pk")
        if user.has_perm("grants.change_monitoringvisit")
        else []
    )
    # The measurement forms that are open, where the baseline was taken (opening the form
    # takes it: a page kept in the background must not).
    measured = Measurement.objects.filter(
        group__in=group_ids, milestone=Measurement.Milestone.BASELINE
    )
    measurements = [
        reverse("families:measurement_add", args=[group.pk, milestone])
        for group in groups.filter(pk__in=measured.values("group"))
        for milestone in measurements_open(group)
    ]
    return [
        reverse("home"),
        reverse("programme:offline"),
        *(reverse("group", args=[pk]) for pk in group_ids),
        *(reverse("assessments:assessment", args=[pk]) for pk in group_ids),
        *(reverse("assessments:plan", args=[pk]) for pk in group_ids),
        *(reverse("grants:grant", args=[pk]) for pk in group_ids if pk in with_grant),
        *(reverse("person", args=[pk]) for pk in members),
        *(reverse("families:follow_up", args=[pk]) for pk in follow_ups),
        *(reverse("grants:visit_edit", args=visit) for visit in visits),
        *measurements,
    ]


@dataclass
class ProgrammeLine:
    """One programme (or all of them together: `program` None) as the head of office reads it:
    the families it reaches, the money, the businesses and how they run."""

    program: Program | None
    households: int
    participants: int
    totals: Totals

    @property
    def monitored(self) -> int:
        return sum(self.totals.businesses.values())

    @property
    def running(self) -> int:
        return self.totals.businesses.get(MonitoringVisit.BusinessStatus.RUNNING, 0)

    @property
    def not_monitored(self) -> int:
        return max(self.totals.funded - self.monitored, 0)


def programme_lines(user) -> list[ProgrammeLine]:
    """Every programme apart, then all together, each from the same Scope as its dashboard (so
    a figure here is the figure there)."""
    lines = []
    for program in [*programmes(), None]:
        scope = Scope(user, program=program)
        groups = scope.groups()
        households = (
            Membership.objects.filter(group__in=groups)
            .order_by()
            .values("participant__kk_number")
            .distinct()
            .count()
        )
        totals = scope.totals()
        lines.append(ProgrammeLine(program, households, totals.participants, totals))
    return lines
