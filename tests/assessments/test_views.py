import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import ActionPlan, NeedsAssessment, Problem
from tests.assessments.helpers import members_of, reviewed_assessment, save_assessment, save_plan
from tests.conftest import fill_group
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def assessment_post(group, *, action="save", problems=None, profiles=None, **fields):
    members = members_of(group)
    problems = (
        problems
        if problems is not None
        else [("1", "economic", "Tidak punya modal usaha", "7"), ("2", "health", "BPJS", "3")]
    )
    data = {
        "action": action,
        "start_date": "2026-08-07",
        "end_date": "2026-08-08",
        "venue": "Balai Kelurahan",
        "facilitators": "Pekerja Sosial",
        "chosen_business": "herbal_drinks",
        "chosen_business_other": "",
        "chosen_business_reason": "Anggota biasa membuat jamu",
        **management("problems", len(problems)),
        **management("profiles", len(members)),
    }
    data.update(fields)
    for index, (rank, category, description, votes) in enumerate(problems):
        data.update(
            {
                f"problems-{index}-rank": rank,
                f"problems-{index}-category": category,
                f"problems-{index}-description": description,
                f"problems-{index}-votes": votes,
            }
        )
    for index, membership in enumerate(members):
        row = {"attended": "on", "interests": "jamu", "skills": "meracik"}
        row.update((profiles or {}).get(index, {}))
        data[f"profiles-{index}-membership"] = membership.pk
        for name, value in row.items():
            if value is not None:
                data[f"profiles-{index}-{name}"] = value
    return data


def test_assessment_page_lists_every_member_for_profiling(worker_client, full_group):
    response = worker_client.get(reverse("assessments:assessment", args=[full_group.pk]))
    html = response.content.decode()
    for membership in members_of(full_group):
        assert membership.participant.full_name in html
    assert len(response.context["profiles"].forms) == 10


def test_draft_is_saved_from_the_page(worker_client, full_group):
    url = reverse("assessments:assessment", args=[full_group.pk])
    response = worker_client.post(url, assessment_post(full_group), follow=True)
    assert "Draf disimpan." in response.content.decode()
    assessment = NeedsAssessment.objects.get(group=full_group)
    assert assessment.status == NeedsAssessment.Status.DRAFT
    assert list(assessment.problems.values_list("rank", "description")) == [
        (1, "Tidak punya modal usaha"),
        (2, "BPJS"),
    ]
    assert assessment.profiles.filter(interests="jamu").count() == 10


def test_incomplete_submit_shows_what_is_missing_and_saves_nothing(worker_client, full_group):
    members = members_of(full_group)
    data = assessment_post(
        full_group,
        action="submit",
        problems=[],
        profiles={0: {"interests": "", "skills": ""}},
        chosen_business="",
    )
    response = worker_client.post(reverse("assessments:assessment", args=[full_group.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Catat paling sedikit satu masalah yang disebut kelompok." in html
    assert f"{members[0].participant.full_name}: isi minat dan keahlian" in html
    assert "Pilih usaha yang diputuskan kelompok." in html
    assert not NeedsAssessment.objects.exists()


def test_complete_submit_makes_the_assessment_read_only(worker_client, full_group):
    url = reverse("assessments:assessment", args=[full_group.pk])
    response = worker_client.post(url, assessment_post(full_group, action="submit"), follow=True)
    assert "Asesmen kebutuhan dikirim untuk ditinjau." in response.content.decode()
    assert NeedsAssessment.objects.get().status == NeedsAssessment.Status.SUBMITTED

    page = worker_client.get(url)
    html = page.content.decode()
    assert page.context["can_edit"] is False
    # Read-only records are text, every answer whole: no inputs left to cut them.
    assert 'name="venue"' not in html and "<textarea" not in html
    assert "Balai Kelurahan" in html and "Anggota biasa membuat jamu" in html
    assert worker_client.post(url, assessment_post(full_group)).status_code == 403


def test_a_long_answer_is_shown_whole_once_sent(worker_client, full_group):
    long_reason = "Sebagian besar anggota sudah biasa meracik jamu " * 6
    url = reverse("assessments:assessment", args=[full_group.pk])
    worker_client.post(
        url, assessment_post(full_group, action="submit", chosen_business_reason=long_reason)
    )
    html = worker_client.get(url).content.decode()
    assert long_reason.strip() in html


def test_errors_are_listed_as_links_to_their_fields(worker_client, full_group):
    data = assessment_post(full_group, start_date="31/02/2026", current_income="")
    data["profiles-2-current_income"] = "-5"
    response = worker_client.post(reverse("assessments:assessment", args=[full_group.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_start_date"' in html
    member = members_of(full_group)[2].participant.full_name
    assert f'href="#id_profiles-2-current_income">{member} · Penghasilan per bulan' in html
    # The member's section with the error is open, and says so.
    assert re.search(r'<details[^>]*id="member-3"[^>]* open>', html)
    assert not NeedsAssessment.objects.exists()


def test_absent_member_can_be_left_unprofiled(worker_client, full_group):
    data = assessment_post(
        full_group, action="submit", profiles={9: {"attended": None, "interests": "", "skills": ""}}
    )
    worker_client.post(reverse("assessments:assessment", args=[full_group.pk]), data)
    assessment = NeedsAssessment.objects.get()
    assert assessment.status == NeedsAssessment.Status.SUBMITTED
    assert assessment.profiles.filter(attended=False).count() == 1


def test_end_date_before_start_is_shown_beside_the_field(worker_client, full_group):
    data = assessment_post(full_group, end_date="2026-08-01")
    response = worker_client.post(reverse("assessments:assessment", args=[full_group.pk]), data)
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in response.content.decode()
    assert not NeedsAssessment.objects.exists()


def test_problem_without_a_description_is_refused(worker_client, full_group):
    data = assessment_post(full_group, problems=[("1", "economic", "", "1")])
    response = worker_client.post(reverse("assessments:assessment", args=[full_group.pk]), data)
    assert response.context["problems"].forms[0].errors["description"]
    assert not NeedsAssessment.objects.exists()


def test_supervisor_marks_reviewed_or_returns_with_a_note(
    client, full_group, social_worker, supervisor
):
    save_assessment(full_group)
    services.assessment_submit(group=full_group, by=social_worker)
    client.force_login(supervisor)
    url = reverse("assessments:assessment_review", args=[full_group.pk])

    refused = client.post(url, {"decision": "return", "note": ""}, follow=True)
    assert "Tulis catatan tentang apa yang harus diperbaiki" in refused.content.decode()
    assert NeedsAssessment.objects.get().status == NeedsAssessment.Status.SUBMITTED

    client.post(url, {"decision": "return", "note": "Lengkapi profil anggota."})
    returned = NeedsAssessment.objects.get()
    assert (returned.status, returned.review_note) == (
        NeedsAssessment.Status.RETURNED,
        "Lengkapi profil anggota.",
    )


def test_double_click_on_reviewed_makes_one_review(client, full_group, social_worker, supervisor):
    save_assessment(full_group)
    services.assessment_submit(group=full_group, by=social_worker)
    client.force_login(supervisor)
    url = reverse("assessments:assessment_review", args=[full_group.pk])
    client.post(url, {"decision": "approve"})
    second = client.post(url, {"decision": "approve"}, follow=True)
    assert "tidak lagi menunggu tinjauan" in second.content.decode()
    assert NeedsAssessment.objects.get().status == NeedsAssessment.Status.REVIEWED


def test_social_worker_cannot_review(worker_client, full_group):
    url = reverse("assessments:assessment_review", args=[full_group.pk])
    assert worker_client.post(url, {"decision": "approve"}).status_code == 403
    assert worker_client.get(url).status_code == 405


def plan_post(group, *, action="save", lines=None, goal="Produksi jamu"):
    members = members_of(group)
    lines = lines if lines is not None else [("Panci", "3", "unit", "850000")]
    data = {
        "action": action,
        "goal": goal,
        **management("activities", 1),
        "activities-0-description": "Belanja alat",
        "activities-0-responsible": members[0].pk,
        "activities-0-start_date": "2026-09-01",
        "activities-0-end_date": "2026-09-10",
        **management("budget", len(lines)),
    }
    for index, (item, quantity, unit, price) in enumerate(lines):
        data.update(
            {
                f"budget-{index}-item": item,
                f"budget-{index}-quantity": quantity,
                f"budget-{index}-unit": unit,
                f"budget-{index}-unit_price": price,
            }
        )
    return data


def test_plan_over_the_ceiling_is_refused_on_the_page(worker_client, full_group):
    data = plan_post(full_group, lines=[("Oven", "3", "unit", "7000000")])
    response = worker_client.post(reverse("assessments:plan", args=[full_group.pk]), data)
    html = response.content.decode()
    assert "Total RAB sebesar Rp 21.000.000 melebihi plafon bantuan per kelompok" in html
    assert not ActionPlan.objects.exists()


def test_plan_draft_is_saved_with_server_totals(worker_client, full_group):
    data = plan_post(
        full_group, lines=[("Botol", "2000", "buah", "1500"), ("Gula", "2.5", "kg", "15000")]
    )
    response = worker_client.post(
        reverse("assessments:plan", args=[full_group.pk]), data, follow=True
    )
    assert "Rp 3.037.500" in response.content.decode()
    assert ActionPlan.objects.get().budget_lines.count() == 2


def test_activity_ending_before_it_starts_is_refused(worker_client, full_group):
    data = plan_post(full_group)
    data["activities-0-end_date"] = "2026-08-01"
    response = worker_client.post(reverse("assessments:plan", args=[full_group.pk]), data)
    assert "Kegiatan tidak boleh selesai sebelum dimulai." in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_plan_submit_needs_a_reviewed_assessment(worker_client, full_group):
    data = plan_post(full_group, action="submit")
    response = worker_client.post(reverse("assessments:plan", args=[full_group.pk]), data)
    assert "Asesmen kebutuhan harus sudah ditinjau supervisor" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_plan_is_submitted_then_approved_by_a_supervisor(
    client, worker_client, full_group, social_worker, supervisor
):
    reviewed_assessment(full_group, social_worker, supervisor)
    worker_client.post(
        reverse("assessments:plan", args=[full_group.pk]), plan_post(full_group, action="submit")
    )
    assert ActionPlan.objects.get().status == ActionPlan.Status.SUBMITTED

    client.force_login(supervisor)
    client.post(reverse("assessments:plan_review", args=[full_group.pk]), {"decision": "approve"})
    assert ActionPlan.objects.get().status == ActionPlan.Status.APPROVED


def test_assessment_page_queries_do_not_grow_with_members_or_problems(worker_client, group):
    fill_group(group, 3)
    save_assessment(group)
    url = reverse("assessments:assessment", args=[group.pk])
    few = queries_for(worker_client, url)

    fill_group(group, 7)
    save_assessment(
        group,
        problems=[
            services.ProblemInput(rank, Problem.Category.SOCIAL, f"Masalah {rank}")
            for rank in range(1, 7)
        ],
    )
    assert queries_for(worker_client, url) == few


def test_plan_page_queries_do_not_grow_with_lines(worker_client, full_group):
    save_plan(full_group)
    url = reverse("assessments:plan", args=[full_group.pk])
    few = queries_for(worker_client, url)
    save_plan(
        full_group,
        lines=[
            services.BudgetLineInput(f"Barang {n}", Decimal(1), "unit", Decimal(1000))
            for n in range(8)
        ],
    )
    assert queries_for(worker_client, url) == few


def test_a_supervisor_reads_the_pages_of_a_group_with_no_assessment_or_plan_yet(
    client, supervisor, full_group
):
    """Nothing recorded yet: the pages say so instead of failing on the missing record."""
    client.force_login(supervisor)
    for name in ("assessments:assessment", "assessments:plan"):
        response = client.get(reverse(name, args=[full_group.pk]))
        assert response.status_code == 200, name
        assert "hanya dapat dibaca sampai supervisor" not in response.content.decode()
    plan = client.get(reverse("assessments:plan", args=[full_group.pk])).content.decode()
    assert 'id="status">Belum dimulai' in plan


def test_an_assessment_draft_from_the_phones_queue_and_a_conflict_with_the_page(
    worker_client, full_group
):
    """Saved from the queue (version 1), corrected on the page (version 2), then a phone's edit
    made from version 1 arrives: a conflict with both versions, nothing overwritten."""
    import uuid

    url = reverse("assessments:assessment", args=[full_group.pk])
    queued = {**assessment_post(full_group), "offline_url": url, "offline_key": str(uuid.uuid4())}
    assert worker_client.post("/luring/kirim/", queued).json()["message"] == "Draf disimpan."
    assessment = NeedsAssessment.objects.get(group=full_group)
    assert (assessment.version, assessment.venue) == (1, "Balai Kelurahan")
    assert 'name="version" value="1"' in worker_client.get(url).content.decode()

    worker_client.post(url, assessment_post(full_group, version="1", venue="Rumah Ketua RT"))
    assessment.refresh_from_db()
    assert (assessment.version, assessment.venue) == (2, "Rumah Ketua RT")

    phone = {
        **assessment_post(full_group, version="1", venue="Masjid Al-Ikhlas"),
        "offline_url": url,
        "offline_key": str(uuid.uuid4()),
    }
    response = worker_client.post("/luring/kirim/", phone)
    assert response.status_code == 409
    answer = response.json()
    assert (answer["state"], answer["version"]) == ("conflict", 2)
    assert ["Tempat", "Rumah Ketua RT", "Masjid Al-Ikhlas"] in answer["both"]
    assessment.refresh_from_db()
    assert (assessment.version, assessment.venue) == (2, "Rumah Ketua RT")

    # The same on the page itself: both versions shown, and sent again it overwrites.
    page = worker_client.post(url, assessment_post(full_group, version="1", venue="Masjid"))
    html = page.content.decode()
    assert "sudah diubah orang lain sejak dibuka" in html
    assert "<td>Rumah Ketua RT</td><td>Masjid</td>" in html
    assert 'name="version" value="2"' in html
    again = worker_client.post(url, assessment_post(full_group, version="2", venue="Masjid"))
    assert again.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.version, assessment.venue) == (3, "Masjid")


def test_a_plan_submitted_from_the_phones_queue(worker_client, cast, full_group):
    import uuid

    reviewed_assessment(full_group, cast.worker, cast.supervisor)
    url = reverse("assessments:plan", args=[full_group.pk])
    # Over the ceiling, from the queue: the page's own words, nothing written.
    over = {**plan_post(full_group, lines=[("Oven", "3", "unit", "7000000")]), "offline_url": url}
    refused = worker_client.post("/luring/kirim/", {**over, "offline_key": str(uuid.uuid4())})
    assert refused.status_code == 422
    assert "melebihi plafon bantuan per kelompok" in refused.json()["message"]
    assert not ActionPlan.objects.exists()

    data = {**plan_post(full_group, action="submit"), "offline_url": url}
    data["offline_key"] = str(uuid.uuid4())
    answer = worker_client.post("/luring/kirim/", data).json()
    assert (answer["state"], answer["message"]) == (
        "saved",
        "Rencana tindak dikirim untuk disetujui.",
    )
    assert answer["next"] == reverse("group", args=[full_group.pk])
    plan = ActionPlan.objects.get(group=full_group)
    assert plan.status == ActionPlan.Status.SUBMITTED
    # Sent again from the queue: no second save, "already saved".
    assert worker_client.post("/luring/kirim/", data).json()["state"] == "already"
    assert ActionPlan.objects.get().version == 1
