"""A problem of the assessment followed up to its end: who may take which step, what each asks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from families import services
from families.models import Evidence, FollowUp, FollowUpEvent
from tests.cast import pdf
from tests.factories import GroupFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
Status, Scope, Service = FollowUp.Status, FollowUp.Scope, FollowUp.Service
DAY = datetime.date(2026, 10, 1)


def open_follow_up(cast, group, **fields):
    problem = group.needs_assessment.problems.get(rank=1)
    values = {
        "problem": problem,
        "need": "BPJS PBI untuk keluarga Bu Sari",
        "scope": Scope.HOUSEHOLD,
        "participant": group.memberships.first().participant,
        "service": Service.BPJS_PBI,
        "due_date": datetime.date(2026, 12, 31),
        "on": datetime.date(2026, 9, 1),
    }
    values.update(fields)
    return services.follow_up_create(group=group, by=cast.worker, **values)


def test_a_problem_becomes_an_open_follow_up_with_its_category_and_first_event(cast, planned_group):
    follow_up = open_follow_up(cast, planned_group)

    assert follow_up.status == Status.OPEN
    assert follow_up.category == "economic"  # taken from the problem
    assert list(follow_up.events.values_list("from_status", "to_status")) == [("", "open")]


def test_a_follow_up_for_someone_outside_the_group_is_refused(cast, planned_group):
    stranger = ParticipantFactory(kelurahan=planned_group.kelurahan)
    with pytest.raises(ValidationError) as caught:
        open_follow_up(cast, planned_group, participant=stranger)
    assert "bukan anggota kelompok ini" in str(caught.value)
    assert not FollowUp.objects.exists()


def test_a_member_follow_up_needs_the_member(cast, planned_group):
    with pytest.raises(ValidationError) as caught:
        open_follow_up(cast, planned_group, scope=Scope.MEMBER, participant=None)
    assert "Pilih anggota" in str(caught.value)


def test_the_problem_of_another_groups_assessment_is_refused(cast, planned_group, hadimulyo_barat):
    from tests.cast import ready_group

    other = ready_group(cast, hadimulyo_barat)
    with pytest.raises(ValidationError):
        open_follow_up(cast, planned_group, problem=other.needs_assessment.problems.get())


def test_referred_then_resolved_with_evidence_each_step_an_event(cast, planned_group):
    follow_up = open_follow_up(cast, planned_group)
    services.follow_up_step(
        follow_up=follow_up, step="refer", by=cast.worker, on=DAY, referred_to="BPJS Metro"
    )
    services.follow_up_step(
        follow_up=follow_up,
        step="resolve",
        by=cast.worker,
        on=datetime.date(2026, 11, 2),
        note="Kartu PBI terbit",
        files=[pdf("kartu-bpjs.pdf")],
    )
    follow_up.refresh_from_db()

    assert follow_up.status == Status.RESOLVED
    assert follow_up.status_date == datetime.date(2026, 11, 2)
    assert follow_up.referred_to == "BPJS Metro"
    events = list(follow_up.events.values_list("to_status", "on", "note"))
    assert events[1:] == [
        ("referred", DAY, ""),
        ("resolved", datetime.date(2026, 11, 2), "Kartu PBI terbit"),
    ]
    evidence = Evidence.objects.get(follow_up=follow_up)
    assert evidence.original_name == "kartu-bpjs.pdf"
    assert evidence.event.to_status == Status.RESOLVED


@pytest.mark.parametrize(
    ("step", "kwargs", "message"),
    [
        ("refer", {}, "Sebutkan kantor atau instansi"),
        ("resolve", {}, "Lampirkan bukti"),
        ("decline", {}, "Tuliskan alasannya"),
        ("impossible", {}, "Tuliskan alasannya"),
        ("refer", {"referred_to": "Disdukcapil", "on": datetime.date(2099, 1, 1)}, "belum tiba"),
    ],
)
def test_each_step_asks_for_what_shows_it_happened(cast, planned_group, step, kwargs, message):
    follow_up = open_follow_up(cast, planned_group)
    with pytest.raises(ValidationError) as caught:
        services.follow_up_step(follow_up=follow_up, step=step, by=cast.worker, **kwargs)
    assert message in str(caught.value)
    follow_up.refresh_from_db()
    assert follow_up.status == Status.OPEN
    assert follow_up.events.count() == 1


def test_a_bad_evidence_file_refuses_the_step_and_stores_nothing(cast, planned_group):
    from django.core.files.uploadedfile import SimpleUploadedFile

    follow_up = open_follow_up(cast, planned_group)
    fake = SimpleUploadedFile("kartu.pdf", b"<html><script>x</script></html>")
    with pytest.raises(ValidationError) as caught:
        services.follow_up_step(
            follow_up=follow_up, step="resolve", by=cast.worker, files=[pdf("ok.pdf"), fake]
        )
    assert "kartu.pdf" in str(caught.value)
    assert not Evidence.objects.exists()
    follow_up.refresh_from_db()
    assert follow_up.status == Status.OPEN


def test_a_step_dated_before_the_follow_up_began_is_refused_naming_both_dates(cast, planned_group):
    follow_up = open_follow_up(cast, planned_group)
    with pytest.raises(ValidationError) as caught:
        services.follow_up_step(
            follow_up=follow_up,
            step="refer",
            by=cast.worker,
            on=datetime.date(2026, 8, 31),
            referred_to="Puskesmas",
        )
    assert caught.value.message_dict["on"] == [
        "Tanggal langkah 31/08/2026 sebelum tindak lanjut dimulai pada 01/09/2026. "
        "Isi tanggal kejadiannya."
    ]
    assert follow_up.events.count() == 1


def test_a_step_dated_before_the_last_change_is_refused(cast, planned_group):
    follow_up = open_follow_up(cast, planned_group)
    follow_up = services.follow_up_step(
        follow_up=follow_up,
        step="refer",
        by=cast.worker,
        on=datetime.date(2026, 9, 10),
        referred_to="Puskesmas",
    )
    with pytest.raises(ValidationError) as caught:
        services.follow_up_step(
            follow_up=follow_up,
            step="decline",
            by=cast.worker,
            on=datetime.date(2026, 9, 5),
            note="Keluarga menolak",
        )
    assert caught.value.message_dict["on"] == [
        "Tanggal langkah 05/09/2026 sebelum perubahan terakhir tindak lanjut pada 10/09/2026."
    ]


def test_the_second_click_is_refused_and_writes_one_event(cast, planned_group):
    follow_up = open_follow_up(cast, planned_group)
    services.follow_up_step(follow_up=follow_up, step="refer", by=cast.worker, referred_to="X")
    with pytest.raises(ValidationError) as caught:
        services.follow_up_step(follow_up=follow_up, step="refer", by=cast.worker, referred_to="X")
    assert "Dirujuk" in str(caught.value)
    assert FollowUpEvent.objects.filter(to_status=Status.REFERRED).count() == 1


@pytest.mark.parametrize(
    ("role", "step", "allowed"),
    [
        ("worker", "refer", True),
        ("worker", "resolve", True),
        ("supervisor", "refer", False),
        ("staff", "start", False),
        ("worker", "reopen", False),
        ("supervisor", "reopen", True),
        ("staff", "reopen", False),
    ],
)
def test_transitions_by_role(cast, planned_group, role, step, allowed):
    user = getattr(cast, role)
    follow_up = open_follow_up(cast, planned_group)
    if step == "reopen":
        services.follow_up_step(follow_up=follow_up, step="decline", by=cast.worker, note="pindah")
    kwargs = {"referred_to": "Puskesmas", "note": "lanjut", "files": [pdf()]}
    if allowed:
        services.follow_up_step(follow_up=follow_up, step=step, by=user, **kwargs)
        follow_up.refresh_from_db()
        assert follow_up.status == FollowUp.workflow[step].target
    else:
        with pytest.raises(PermissionDenied):
            services.follow_up_step(follow_up=follow_up, step=step, by=user, **kwargs)


def test_the_page_records_a_referral_and_the_group_page_lists_it(client, cast, planned_group):
    follow_up = open_follow_up(cast, planned_group)
    client.force_login(cast.worker)
    response = client.post(
        reverse("families:follow_up", args=[follow_up.pk]),
        {"step": "refer", "on": "05/10/2026", "referred_to": "Puskesmas Yosomulyo", "note": ""},
        follow=True,
    )
    assert "Status berubah menjadi &#x27;Dirujuk&#x27;" in response.content.decode()
    page = client.get(reverse("group", args=[planned_group.pk])).content.decode()
    assert "BPJS PBI untuk keluarga Bu Sari" in page
    assert 'data-status="referred"' in page


def test_the_page_keeps_what_was_typed_when_a_step_is_refused(client, cast, planned_group):
    follow_up = open_follow_up(cast, planned_group)
    client.force_login(cast.worker)
    response = client.post(
        reverse("families:follow_up", args=[follow_up.pk]),
        {"step": "resolve", "on": "05/10/2026", "note": "kartu sudah jadi"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lampirkan bukti" in html
    assert "kartu sudah jadi" in html
    follow_up.refresh_from_db()
    assert follow_up.status == Status.OPEN


def test_a_problem_without_follow_up_is_offered_on_the_group_page(client, cast, planned_group):
    client.force_login(cast.worker)
    html = client.get(reverse("group", args=[planned_group.pk])).content.decode()
    problem = planned_group.needs_assessment.problems.get()
    assert f"?masalah={problem.pk}" in html
    form = client.get(
        reverse("families:follow_up_add", args=[planned_group.pk]) + f"?masalah={problem.pk}"
    )
    assert form.context["form"].initial["need"] == problem.description


def test_a_worker_of_another_kelurahan_gets_403(client, cast, planned_group, karangrejo):
    follow_up = open_follow_up(cast, planned_group)
    other = GroupFactory(kelurahan=karangrejo)
    client.force_login(cast.worker)
    assert client.get(reverse("families:follow_up_add", args=[other.pk])).status_code == 403
    from tests.factories import UserFactory

    outsider = UserFactory(username="lain", roles=["Pekerja Sosial"])
    outsider.kelurahan_assignments.create(kelurahan=karangrejo)
    client.force_login(outsider)
    assert client.get(reverse("families:follow_up", args=[follow_up.pk])).status_code == 403


def test_overdue_follow_ups_wait_in_the_worker_and_supervisor_queues(client, cast, planned_group):
    open_follow_up(cast, planned_group, due_date=datetime.date(2026, 1, 31))
    for user in (cast.worker, cast.supervisor):
        client.force_login(user)
        home = client.get(reverse("home"))
        waiting = {w.item.key: w.count for w in home.context["waiting"]}
        assert waiting["tindak-lanjut"] == 1
        listed = client.get(reverse("programme:work") + "?perlu=tindak-lanjut")
        assert [row.pk for row in listed.context["rows"]] == [planned_group.pk]
    client.force_login(cast.supervisor)
    admin_list = client.get(reverse("admin:families_followup_changelist") + "?tenggat=lewat")
    assert admin_list.context["cl"].result_count == 1


def test_the_form_takes_the_category_from_the_problem_and_asks_for_one_without(
    client, cast, planned_group
):
    problem = planned_group.needs_assessment.problems.get()
    client.force_login(cast.worker)
    url = reverse("families:follow_up_add", args=[planned_group.pk])
    form = {
        "need": "Pelatihan pembukuan",
        "scope": Scope.GROUP,
        "service": Service.TRAINING,
        "due_date": "31/12/2026",
    }
    refused = client.post(url, form)
    assert "Pilih kategorinya, atau masalah dari asesmen" in refused.content.decode()
    assert not FollowUp.objects.exists()
    client.post(url, {**form, "problem": problem.pk})
    assert FollowUp.objects.get().category == problem.category


def test_the_group_page_shows_its_follow_ups_once_and_keeps_a_plain_title(
    client, cast, planned_group
):
    client.force_login(cast.worker)
    html = client.get(reverse("group", args=[planned_group.pk])).content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert planned_group.name in title and "<section" not in title and "tindak-lanjut" not in title
    assert html.count('id="tindak-lanjut"') == 1


def test_every_download_of_evidence_is_logged_and_shown_to_the_supervisor(
    client, cast, planned_group
):
    """A BPJS card or a new KTP is personal data: who opened it, and when, is kept, as for a
    grant's KTP copies; the supervisor reads it on the follow-up's admin page. A worker of another
    kelurahan is refused and leaves no trace."""
    from families.models import EvidenceDownload
    from tests.factories import UserFactory

    follow_up = open_follow_up(cast, planned_group)
    (evidence,) = services.evidence_add(
        follow_up=follow_up, by=cast.worker, files=[pdf("kartu-bpjs.pdf")]
    )
    url = reverse("families:evidence", args=[evidence.pk])
    client.force_login(cast.worker)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kartu-bpjs.pdf"')
    assert response["Cache-Control"] == "no-store"
    outsider = UserFactory(username="luar", roles=["Pekerja Sosial"])
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert [d.user for d in EvidenceDownload.objects.all()] == [cast.worker]

    client.force_login(cast.supervisor)
    page = client.get(reverse("admin:families_followup_change", args=[follow_up.pk]))
    html = page.content.decode()
    assert "Dibuka oleh" in html
    assert f"· {cast.worker}" in html
