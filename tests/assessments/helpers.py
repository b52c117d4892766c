"""Build complete or partial assessments and plans through the services."""

import datetime
from decimal import Decimal

from assessments import services
from assessments.models import Problem
from participants import selectors


def members_of(group):
    return list(selectors.group_members(group))


def complete_profiles(group):
    return [
        services.ProfileInput(
            membership=m,
            interests="membuat jamu",
            skills="meracik kunyit asam",
            current_income=Decimal(500_000),
            preferred_business=group.BusinessType.JAMU,
            willing_to_run_business=True,
        )
        for m in members_of(group)
    ]


def save_assessment(group, *, problems=None, profiles=None, **fields):
    values = {
        "start_date": datetime.date(2026, 8, 7),
        "end_date": datetime.date(2026, 8, 8),
        "venue": "Balai Kelurahan",
        "facilitators": "Pekerja Sosial",
        "chosen_business": group.BusinessType.JAMU,
        "chosen_business_other": "",
        "chosen_business_reason": "Anggota biasa meracik jamu.",
    }
    values.update(fields)
    return services.assessment_save(
        group=group,
        fields=values,
        problems=problems
        if problems is not None
        else [services.ProblemInput(1, Problem.Category.ECONOMIC, "Tidak ada modal", 7)],
        profiles=profiles if profiles is not None else complete_profiles(group),
    )


def reviewed_assessment(group, worker, supervisor):
    save_assessment(group)
    services.assessment_submit(group=group, by=worker)
    return services.assessment_review(assessment=group.needs_assessment, by=supervisor)


def save_plan(group, *, lines=None, goal="Produksi jamu kemasan"):
    members = members_of(group)
    return services.action_plan_save(
        group=group,
        goal=goal,
        activities=[
            services.ActivityInput(
                "Belanja alat", members[0], datetime.date(2026, 9, 1), datetime.date(2026, 9, 10)
            )
        ],
        budget_lines=lines
        if lines is not None
        else [services.BudgetLineInput("Panci", Decimal(3), "unit", Decimal(850_000))],
    )
