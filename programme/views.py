"""Pages that read every stage: home with the work that waits, the group page, the programme at a
glance, a kelurahan's history, and the reports."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments.selectors import related_or_none
from complaints import selectors as complaint_selectors
from complaints.models import Complaint
from families import selectors as family_selectors
from families import services as family_services
from families.outcomes import charts_of, outcomes_of
from grants import services as grant_services
from grants.models import Disbursement, Grant
from metro_slum import charts
from metro_slum import reports as report_output
from metro_slum.exports import export_response
from metro_slum.formatting import rupiah, rupiah_short
from metro_slum.replica import reads_from_replica
from participants import eligibility, ranks, targeting
from participants import selectors as participant_selectors
from participants.models import HouseholdRank, Kelurahan, Membership, Program
from programme import privacy, queue, reports, selectors
from programme.forms import PeriodForm, ProgrammeForm
from slums import selectors as slum_selectors

VIEW_GROUPS = "participants.view_participantgroup"


def _require(user, perm=VIEW_GROUPS):
    if not user.has_perm(perm):
        raise PermissionDenied


def _programme(data) -> Program | None:
    """The programme chosen in the switcher (program=...), the active one by default."""
    form = ProgrammeForm(data)
    if data.get("program") and form.is_valid():
        return form.cleaned_data["program"]
    return selectors.default_programme()


# The programme page's group table, a page at a time.
DASHBOARD_ROWS = 50
# A report's groups by kecamatan and kelurahan (whose ids follow their codes), then programme.
REPORT_ORDER = ("kelurahan_id", "program__year", "name", "pk")
# Up to this many groups the home page lists them all with their stage; beyond, one line per
# kelurahan with its number of groups, each leading to the kelurahan's page.
HOME_GROUPS_LISTED = 100


@login_required
@require_http_methods(["GET"])
def home(request):
    """The work that waits for me, then my kelurahan and their groups with the stage reached.
    The head of office, who handles no group, lands on the one page of the whole (head)."""
    _require(request.user)
    user = request.user
    if user.has_perm("complaints.oversee_complaints") and not user.has_perm(
        "participants.change_participantgroup"
    ):
        return redirect("programme:head")
    kelurahan = list(participant_selectors.kelurahan_for_user(user))
    sees_all = user.has_perm("participants.view_all_kelurahan")
    scope = selectors.Scope(user)
    active = scope.groups().filter(program__is_active=True)
    counts = dict(
        active.order_by()
        .values("kelurahan")
        .annotate(total=Count("pk"))
        .values_list("kelurahan", "total")
    )
    shown = [k for k in kelurahan if counts.get(k.pk) or k.is_program_area or not sees_all]
    if sum(counts.values()) > HOME_GROUPS_LISTED:
        places, summary = [(k, counts.get(k.pk, 0)) for k in shown], True
    else:
        rows = selectors.with_stages(scope.rows().filter(program__is_active=True))
        by_kelurahan = {k.pk: [] for k in kelurahan}
        for row in rows:
            by_kelurahan[row.kelurahan_id].append(row)
        places, summary = [(k, by_kelurahan[k.pk]) for k in shown], False
    waiting = queue.work_for(user, scope.lean_rows())
    return render(
        request,
        "programme/home.html",
        {"places": places, "summary": summary, "waiting": waiting},
    )


@login_required
@require_http_methods(["GET"])
def head(request):
    """The head of office's one page: for every programme together and each apart, the
    families reached, the money, the businesses running; the complaints past a deadline; the
    slum RTs now and at their baseline. Each figure is the one its own page shows, and links
    there. Read-only, for those who see every kelurahan."""
    _require(request.user)
    if not participant_selectors.sees_every_kelurahan(request.user):
        raise PermissionDenied
    visible = complaint_selectors.complaints_for(request.user).order_by()
    return render(
        request,
        "programme/head.html",
        {
            "lines": selectors.programme_lines(request.user),
            "complaints": {
                "late": visible.filter(complaint_selectors.overdue()).count(),
                "escalated": visible.filter(complaint_selectors.escalated_to_head()).count(),
                "open": visible.filter(status__in=Complaint.ACTIVE_STATUSES).count(),
            },
            "slums": slum_selectors.city_summary(request.user),
        },
    )


@login_required
@require_http_methods(["GET"])
def work(request):
    """The groups behind one count of the work queue (?perlu=...), across every programme."""
    _require(request.user)
    items = queue.items_for(request.user)
    key = request.GET.get("perlu", "")
    item = queue.BY_KEY.get(key)
    if item is not None and item not in items:
        raise PermissionDenied
    rows, scope = [], selectors.Scope(request.user)
    if item is not None:
        rows = selectors.with_stages(scope.rows().filter(item.condition))
    waiting = queue.work_for(request.user, scope.lean_rows())
    return render(request, "programme/work.html", {"item": item, "rows": rows, "waiting": waiting})


@login_required
@require_http_methods(["GET"])
def group(request, pk):
    """A group: its stage and next step, its members, links to every stage's page."""
    group = participant_selectors.group_get_for_user(
        request.user,
        pk,
        queryset=selectors.group_rows().select_related("needs_assessment", "action_plan"),
    )
    stage = selectors.with_stages([group])[0].stage
    follow_ups, unfollowed = family_selectors.group_follow_ups(group)
    return render(
        request,
        "programme/group.html",
        {
            "group": group,
            "members": eligibility.with_verdicts(
                ranks.with_ranks(participant_selectors.group_members(group)), group.program
            ),
            "stage": stage,
            "gaps": participant_selectors.group_roster_gaps(group),
            "assessment": related_or_none(group, "needs_assessment"),
            "plan": related_or_none(group, "action_plan"),
            "grant": Grant.objects.filter(pk=group.grant_pk).first() if group.grant_pk else None,
            "follow_ups": follow_ups,
            "unfollowed": unfollowed,
            "measurements": group.measurements.order_by("milestone"),
            "measurements_due": family_services.measurements_due(group),
            "complaints": complaint_selectors.linked_to(request.user, group=group)[:20],
            "verifications": _verifications(group),
        },
    )


def _verifications(group) -> list:
    """Each tranche of the group's grants with its payment verification's figures."""
    tranches = list(
        Disbursement.objects.filter(grant__group=group, verification__isnull=False).order_by(
            "date", "pk"
        )
    )
    figures = grant_services.verification_figures(tranches)
    return [(tranche, figures.get(tranche.pk, {})) for tranche in tranches]


MONEY_SERIES = [
    charts.Series(gettext_lazy("approved"), "#0d6efd"),
    charts.Series(gettext_lazy("disbursed"), "#198754"),
]


@login_required
@require_http_methods(["GET"])
def person(request, pk):
    """A person's page: their data, groups, the household's help, and all data held about them."""
    participant = participant_selectors.participant_get_for_user(request.user, pk)
    memberships = list(participant.memberships.select_related("group__program", "group__kelurahan"))
    submitted = set(
        Grant.objects.filter(
            group__in=[m.group_id for m in memberships], submitted_at__isnull=False
        ).values_list("group_id", flat=True)
    )
    for membership in memberships:
        membership.verdict = eligibility.verdict(
            membership.group.program, participant, membership.joined_on
        )
        # Checked again at the grant's submission; a rank risen after it is an outcome.
        membership.settled = membership.group_id in submitted
    open_groups = None
    if request.user.has_perm("participants.add_membership"):
        open_groups = list(participant_selectors.groups_open_to(participant, request.user))
    readings = HouseholdRank.objects.filter(kk_number=participant.kk_number).select_related(
        "recorded_by"
    )[:12]
    context = {
        "participant": participant,
        "place_rt": slum_selectors.place_of(participant),
        "memberships": memberships,
        "open_groups": open_groups,
        "readings": list(readings),
        "complaints": complaint_selectors.linked_to(request.user, participant=participant)[:20],
    }
    return render(request, "programme/person.html", context)


@login_required
@require_http_methods(["GET"])
def dashboard(request):
    """The programme on one page: totals against the budget, charts, a row per group (page by
    page), the recap by kelurahan. Totals, charts and recap are asked of the database over all
    the groups the user may see, so they stay exact and quick for a province's programme."""
    _require(request.user)
    program = _programme(request.GET)
    scope = selectors.Scope(request.user, program=program)
    groups, totals = scope.groups(), scope.totals()
    # Within one programme the (programme, kelurahan, name) index gives the order as it is.
    order = selectors.ROW_ORDER[1:] if program is not None else selectors.ROW_ORDER
    page = _page_of(groups.order_by(*order), selectors.group_rows(), totals.groups, request)
    rows = selectors.with_stages(page.object_list)
    context = {
        "program": program,
        "switcher": ProgrammeForm(initial={"program": program}),
        "rows": rows,
        "page": page,
        "page_query": f"program={program.pk}&" if program is not None else "",
        "totals": totals,
        "grant_counts": selectors.grant_counts(totals),
        "business_counts": selectors.business_counts(totals),
        "recap": selectors.recap_by_kelurahan(groups),
        "charts": _charts(totals),
    }
    if program is not None:
        sees_all = participant_selectors.sees_every_kelurahan(request.user)
        figures = outcomes_of(
            groups,
            whole_program=program if sees_all else None,
            capital=(totals.funded, totals.disbursed),
        )
        found = targeting.targeting(program, groups)
        context.update(
            figures=figures,
            outcome_charts=charts_of(figures),
            targeting=found,
            targeting_chart=charts.bar_chart(
                _("Members by their household's desil"),
                found.chart_rows(),
                [charts.Series(_("members"), "#0d6efd")],
            ),
            movement=targeting.movement(
                Membership.objects.filter(program=program, group__in=groups), program.max_desil
            ),
            verification=_verification_totals(groups),
        )
    return render(request, "programme/dashboard.html", context)


def _verification_totals(groups) -> dict:
    """Over the groups' tranches: members asked, answered (and the rate), not whole, unsettled."""
    figures = grant_services.verification_figures(
        Disbursement.objects.filter(grant__group__in=groups)
    ).values()
    totals = {
        key: sum(row[key] for row in figures)
        for key in ("asked", "answered", "discrepancies", "unsettled")
    }
    asked = totals["asked"]
    totals["rate"] = f"{round(100 * totals['answered'] / asked)} %" if asked else "–"
    return totals


def _page_of(groups, rows, count: int, request, *, size=DASHBOARD_ROWS, param="halaman"):
    """One page of group rows. The page's groups are chosen on the groups alone, in their order
    (`groups`, already counted: `count`); only those fifty are then read with everything a row
    shows (`rows`), instead of joining every group's assessment, plan and grant before sorting."""
    paginator = Paginator(groups.values_list("pk", flat=True), size)
    paginator.count = count
    page = paginator.get_page(request.GET.get(param))
    ids = list(page.object_list)
    found = {row.pk: row for row in rows.filter(pk__in=ids).order_by()}
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page


def _charts(totals) -> dict:
    money = totals.money_by_kelurahan
    # The status's first words ("Diajukan", not "Diajukan, menunggu keputusan") fit beside a bar.
    statuses = [
        (str(label).split(",")[0], [count])
        for _value, label, count in selectors.grant_counts(totals)
    ]
    revenue = totals.revenue
    return {
        "money": charts.bar_chart(_("Money by kelurahan"), money, MONEY_SERIES, fmt=rupiah)
        if money
        else "",
        "statuses": charts.bar_chart(
            _("Grants by status"), statuses, [charts.Series(_("grants"), "#6f42c1")]
        )
        if totals.grants_by_status
        else "",
        "revenue": charts.line_chart(
            _("Monitored businesses' monthly revenue"),
            revenue,
            y_label=_("revenue (Rp)"),
            x_label=_("month of visit"),
            fmt=rupiah,
            tick_fmt=rupiah_short,
        ),
    }


@login_required
@require_http_methods(["GET"])
def kelurahan(request, code):
    """Every programme, group and grant a kelurahan has had: the aid it received over the years."""
    _require(request.user)
    place = get_object_or_404(Kelurahan.objects.select_related("kecamatan"), code=code)
    if not participant_selectors.kelurahan_for_user(request.user).filter(pk=place.pk).exists():
        raise PermissionDenied
    scope = selectors.Scope(request.user, kelurahan=place)
    groups, totals = scope.groups(), scope.totals()
    page = _page_of(
        groups.order_by("-program__year", "name", "pk"),
        selectors.group_rows(),
        totals.groups,
        request,
    )
    figures = outcomes_of(
        groups,
        capital=(totals.funded, totals.disbursed),
    )
    return render(
        request,
        "programme/kelurahan.html",
        {
            "place": place,
            "rows": selectors.with_stages(page.object_list),
            "page": page,
            "totals": totals,
            "story": selectors.kelurahan_story(place, figures),
            "figures": figures,
            "charts": charts_of(figures),
        },
    )


# Reports -----------------------------------------------------------------------------------

REPORTS = {
    "rekap": reports.recap_report,
    "penerima": reports.recipients_report,
    "pemantauan": reports.monitoring_report,
    "hasil": reports.outcome_report,
    "pengaduan": reports.complaints_report,
}


# (key, title, what it holds) of the reports offered on the reports page.
REPORT_CARDS = (
    (
        "rekap",
        gettext_lazy("Programme recap"),
        gettext_lazy(
            "Every group by kecamatan: kelurahan, business, members, stage, money approved and "
            "disbursed."
        ),
    ),
    (
        "penerima",
        gettext_lazy("List of grant recipients"),
        gettext_lazy(
            "Groups whose grant was approved, with their chair and the amounts approved and "
            "disbursed."
        ),
    ),
    (
        "pemantauan",
        gettext_lazy("Monitoring report"),
        gettext_lazy(
            "Every monitoring visit in a period: business status, revenue, profit, problems and "
            "follow-up."
        ),
    ),
    (
        "hasil",
        gettext_lazy("Outcome report"),
        gettext_lazy(
            "Whether the families are better off: income against the baseline, households above "
            "the poverty line, businesses still running, problems followed up, aid received. For "
            "a programme, or for one kelurahan over every programme."
        ),
    ),
    (
        "pengaduan",
        gettext_lazy("Complaints report"),
        gettext_lazy(
            "Complaints of a month: received, resolved, resolved on time, still overdue, by "
            "category and kelurahan."
        ),
    ),
    (
        "kumuh",
        gettext_lazy("Slum trend report"),
        gettext_lazy(
            "For the slum working group: each RT's slum score at its baseline and its latest "
            "survey, the RTs that left the slum classes or worsened, the change by criterion."
        ),
    ),
)


@login_required
@require_http_methods(["GET"])
def report_index(request):
    _require(request.user)
    return render(
        request,
        "programme/reports.html",
        {
            "cards": REPORT_CARDS,
            "switcher": ProgrammeForm(initial={"program": selectors.default_programme()}),
            "period": PeriodForm(initial=PeriodForm.default_period()),
            "month": PeriodForm(
                initial={
                    "dari": timezone.localdate().replace(day=1),
                    "sampai": timezone.localdate(),
                },
                auto_id="id_%s_bulan",
            ),
            "places": participant_selectors.kelurahan_for_user(request.user).order_by("name"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, kind):
    """A report as an A4 page to print (GET), or as XLSX (POST: the download is logged)."""
    _require(request.user)
    build = REPORTS.get(kind)
    if build is None:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    program = _programme(data)
    place = None
    if data.get("kelurahan"):
        place = get_object_or_404(
            participant_selectors.kelurahan_for_user(request.user), code=data["kelurahan"]
        )
        if kind == "hasil":
            # One kelurahan's outcomes cover every programme unless one is chosen.
            program = _programme(data) if data.get("program") else None
    dated = kind in ("pemantauan", "pengaduan")
    period = PeriodForm(
        data if dated and "dari" in data else None,
        auto_id="id_%s_bulan" if kind == "pengaduan" else "id_%s",
    )
    default = PeriodForm.default_period()
    start, end = default["dari"], default["sampai"]
    if kind == "pengaduan":
        start = end.replace(day=1)  # complaints are reported month by month
    if period.is_bound:
        if not period.is_valid():
            return render(
                request,
                "programme/reports.html",
                {
                    "cards": REPORT_CARDS,
                    "period": period
                    if kind == "pemantauan"
                    else PeriodForm(initial=PeriodForm.default_period()),
                    "month": period if kind == "pengaduan" else None,
                    "report_error": True,
                },
                status=400,
            )
        start, end = period.cleaned_data["dari"], period.cleaned_data["sampai"]
    # A report reads the whole programme: from the read replica where there is one.
    with reads_from_replica():
        scope = selectors.Scope(request.user, program=program, kelurahan=place)
        rows, groups = scope.rows(), scope.groups()
        count = groups.count()
        if place is None and count > settings.REPORT_GROUPS_AT_ONCE:
            # A province's programme is thousands of A4 pages: one report per kelurahan.
            return render(
                request,
                "programme/report_places.html",
                {
                    "kind": kind,
                    "title": dict((key, title) for key, title, _text in REPORT_CARDS)[kind],
                    "program": program,
                    "program_pk": str(program.pk) if program is not None else "",
                    "query": data.copy(),
                    "recap": selectors.recap_by_kelurahan(groups),
                    "limit": settings.REPORT_GROUPS_AT_ONCE,
                },
            )
        part = None
        if request.method == "GET":
            # Printed in parts of REPORT_GROUPS_PER_PART groups (most reports are one part), in
            # the report's own order (kelurahan ids follow their codes).
            part = _page_of(
                groups.order_by(*REPORT_ORDER),
                rows,
                count,
                request,
                size=settings.REPORT_GROUPS_PER_PART,
                param="bagian",
            )
            rows = part.object_list
        rows = selectors.with_stages(rows)
        result = build(
            rows=rows, program=program, place=place, start=start, end=end, user=request.user
        )
        if place is not None:
            result.subtitle = f"{_('Kelurahan')} {place.name} · {result.subtitle}"
        if request.method == "POST":
            return report_output.xlsx_response(result, user=request.user)
        context = {"report": result, "kind": kind, "printed": report_output.printed_line()}
        if part is not None and part.paginator.num_pages > 1:
            query = data.copy()
            query.pop("bagian", None)
            context.update(part=part, part_query=query.urlencode(), groups_count=count)
        return render(request, "report.html", context)


@login_required
@require_http_methods(["POST"])
def person_data(request, pk):
    """Everything held about one person, as XLSX, for staff answering that person's request."""
    participant = participant_selectors.participant_get_for_user(
        request.user, pk, perm="participants.export_participants"
    )
    return export_response(privacy.person_export(user=request.user, participant=participant))
