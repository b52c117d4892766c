import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import ActionPlan, NeedsAssessment
from tests.assessments.helpers import reviewed_assessment, save_assessment, save_plan
from tests.conftest import fill_group
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def submitted_groups(count, worker, supervisor, *, with_plans=False):
    groups = []
    for _ in range(count):
        group = GroupFactory()
        fill_group(group, 10)
        if with_plans:
            reviewed_assessment(group, worker, supervisor)
            save_plan(group)
            services.action_plan_submit(group=group, by=worker)
        else:
            save_assessment(group)
            services.assessment_submit(group=group, by=worker)
        groups.append(group)
    return groups


@pytest.mark.parametrize(
    ("changelist", "with_plans"),
    [("assessments_needsassessment", False), ("assessments_actionplan", True)],
)
def test_changelist_queries_do_not_grow_with_rows(
    client, supervisor, social_worker, changelist, with_plans
):
    client.force_login(supervisor)
    url = reverse(f"admin:{changelist}_changelist")
    submitted_groups(2, social_worker, supervisor, with_plans=with_plans)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    submitted_groups(4, social_worker, supervisor, with_plans=with_plans)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert len(response.context["cl"].result_list) == 6


def test_supervisor_marks_assessments_reviewed_from_the_list(client, supervisor, social_worker):
    first, second = submitted_groups(2, social_worker, supervisor)
    services.assessment_review(assessment=first.needs_assessment, by=supervisor)
    client.force_login(supervisor)

    response = client.post(
        reverse("admin:assessments_needsassessment_changelist"),
        {
            "action": "mark_reviewed",
            "_selected_action": [first.needs_assessment.pk, second.needs_assessment.pk],
        },
        follow=True,
    )

    html = response.content.decode()
    assert f"{second.name}: ditandai sudah ditinjau." in html
    assert f"{first.name}: Asesmen kebutuhan tidak lagi menunggu tinjauan" in html
    assert NeedsAssessment.objects.filter(status="reviewed").count() == 2


def test_supervisor_approves_plans_from_the_list(client, supervisor, social_worker):
    (group,) = submitted_groups(1, social_worker, supervisor, with_plans=True)
    client.force_login(supervisor)
    client.post(
        reverse("admin:assessments_actionplan_changelist"),
        {"action": "approve", "_selected_action": [group.action_plan.pk]},
    )
    assert ActionPlan.objects.get().status == ActionPlan.Status.APPROVED


def test_assessment_page_in_admin_shows_problems_and_profiles(client, supervisor, social_worker):
    (group,) = submitted_groups(1, social_worker, supervisor)
    client.force_login(supervisor)
    html = client.get(
        reverse("admin:assessments_needsassessment_change", args=[group.needs_assessment.pk])
    ).content.decode()
    assert "Tidak ada modal" in html
    assert "meracik kunyit asam" in html


def test_submitted_assessment_page_in_admin_leads_to_the_review(client, full_group, supervisor):
    worker = UserFactory(username="pekerja-admin", roles=["Pekerja Sosial"])
    save_assessment(full_group)
    services.assessment_submit(group=full_group, by=worker)
    client.force_login(supervisor)
    url = reverse("admin:assessments_needsassessment_change", args=[full_group.needs_assessment.pk])
    html = client.get(url).content.decode()
    assert reverse("assessments:assessment", args=[full_group.pk]) in html
    assert "Tandai sudah ditinjau / Kembalikan untuk diperbaiki" in html

    services.assessment_review(assessment=full_group.needs_assessment, by=supervisor)
    assert (
        reverse("assessments:assessment", args=[full_group.pk])
        not in client.get(url).content.decode()
    )
