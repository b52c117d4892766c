import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from participants.models import Membership, Participant, ParticipantGroup
from tests.conftest import fill_group
from tests.factories import (
    GroupFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    as_form_data,
    participant_fields,
    record_rank,
)
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def elsewhere(karangrejo):
    """A group and a participant in Karangrejo, outside the social worker's assignment."""
    group = GroupFactory(kelurahan=karangrejo)
    (membership,) = fill_group(group, 1)
    return group, membership.participant, membership


def scoped_urls(group, participant, membership):
    return [
        ("GET", reverse("group", args=[group.pk])),
        ("GET", reverse("participants:group_edit", args=[group.pk])),
        ("GET", reverse("participants:member_add", args=[group.pk])),
        ("POST", reverse("participants:member_remove", args=[group.pk, membership.pk])),
        ("GET", reverse("person", args=[participant.pk])),
        ("GET", reverse("participants:participant_edit", args=[participant.pk])),
        ("GET", reverse("assessments:assessment", args=[group.pk])),
        ("GET", reverse("assessments:plan", args=[group.pk])),
    ]


def test_every_page_in_another_kelurahan_answers_403(worker_client, elsewhere):
    for method, url in scoped_urls(*elsewhere):
        response = getattr(worker_client, method.lower())(url)
        assert response.status_code == 403, url
    group, participant, membership = elsewhere
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_every_page_asks_an_anonymous_visitor_to_log_in(client, elsewhere):
    urls = scoped_urls(*elsewhere) + [
        ("GET", reverse("home")),
        ("GET", reverse("participants:participant_list")),
        ("GET", reverse("participants:participant_create")),
        ("GET", reverse("participants:group_create")),
    ]
    for method, url in urls:
        response = getattr(client, method.lower())(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login") + "?next="), url


def test_pages_refuse_methods_they_do_not_take(worker_client, group):
    (membership,) = fill_group(group, 1)
    assert (
        worker_client.get(
            reverse("participants:member_remove", args=[group.pk, membership.pk])
        ).status_code
        == 405
    )
    assert worker_client.delete(reverse("participants:participant_list")).status_code == 405
    assert worker_client.post(reverse("home")).status_code == 405
    assert worker_client.post(reverse("group", args=[group.pk])).status_code == 405


def test_missing_group_answers_404(worker_client):
    assert worker_client.get(reverse("group", args=[999])).status_code == 404


def test_user_without_a_role_gets_403(client, group):
    client.force_login(UserFactory(username="tamu"))
    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("participants:participant_list")).status_code == 403


def test_home_lists_only_my_kelurahan_with_stage_and_next_step(
    worker_client, full_group, elsewhere
):
    html = worker_client.get(reverse("home")).content.decode()
    assert full_group.name in html
    assert "Hadimulyo Barat" in html
    assert elsewhere[0].name not in html
    assert "Karangrejo" not in html
    assert "2/11 · Asesmen kebutuhan" in html
    assert "Isi asesmen kebutuhan partisipatif lalu kirim." in html


def test_supervisor_sees_every_programme_kelurahan(client, supervisor, full_group, elsewhere):
    client.force_login(supervisor)
    html = client.get(reverse("home")).content.decode()
    assert full_group.name in html
    assert elsewhere[0].name in html
    assert "Rejomulyo" in html


def test_login_page_is_indonesian_and_logs_in(client, social_worker):
    page = client.get(reverse("login")).content.decode()
    assert "Masuk" in page
    response = client.post(
        reverse("login"), {"username": "pekerja", "password": "rahasia-uji"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")


def test_logout_is_a_post(worker_client):
    assert worker_client.get(reverse("logout")).status_code == 405
    response = worker_client.post(reverse("logout"))
    assert response.status_code == 302
    assert worker_client.get(reverse("home")).status_code == 302


def test_english_is_available_from_the_switch(worker_client):
    worker_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = worker_client.get(reverse("home")).content.decode()
    assert "My kelurahan and groups" in html


def test_browser_language_does_not_override_indonesian(worker_client):
    html = worker_client.get(
        reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert "Kelurahan dan kelompok saya" in html


def test_group_page_shows_members_officers_first_and_the_stage(worker_client, group):
    members = fill_group(group, 4)
    html = worker_client.get(reverse("group", args=[group.pk])).content.decode()
    positions = [html.index(m.participant.full_name) for m in members[:3]]
    assert positions == sorted(positions)
    assert "4/10" in html
    assert "Lengkapi kelompok: 4 dari 10 anggota" in html


def test_social_worker_registers_a_participant_in_their_kelurahan(
    worker_client, social_worker, hadimulyo_barat
):
    response = worker_client.post(
        reverse("participants:participant_create"),
        as_form_data(participant_fields(hadimulyo_barat)),
    )
    saved = Participant.objects.get()
    assert response.url == reverse("person", args=[saved.pk])
    assert saved.nik == "1872011208850003"
    assert saved.created_by == social_worker


def test_registration_with_a_bad_nik_shows_the_message_beside_the_field(
    worker_client, hadimulyo_barat
):
    response = worker_client.post(
        reverse("participants:participant_create"),
        as_form_data(participant_fields(hadimulyo_barat, nik="1872 0112 0885 0000")),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["nik"] == ["Empat digit terakhir NIK (nomor urut) tidak boleh 0000."]
    assert "Empat digit terakhir NIK" in response.content.decode()
    assert not Participant.objects.exists()


def test_social_worker_cannot_register_someone_in_another_kelurahan(worker_client, karangrejo):
    response = worker_client.post(
        reverse("participants:participant_create"),
        as_form_data(participant_fields(karangrejo)),
    )
    assert response.status_code == 200
    assert "kelurahan" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_editing_a_participant_keeps_the_creator_and_stamps_the_editor(
    worker_client, social_worker, hadimulyo_barat
):
    person = ParticipantFactory(kelurahan=hadimulyo_barat)
    data = as_form_data(
        participant_fields(
            hadimulyo_barat,
            nik=person.nik,
            kk_number=person.kk_number,
            birth_date=person.birth_date,
            phone="0812 1111 2222",
        )
    )
    response = worker_client.post(reverse("participants:participant_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "081211112222"  # the digits; shown as 0812 1111 2222
    assert person.updated_by == social_worker


def test_registering_for_a_group_puts_the_person_in_it_and_returns_to_the_group(
    worker_client, group, hadimulyo_barat
):
    url = reverse("participants:participant_create") + f"?kelompok={group.pk}"
    data = as_form_data(participant_fields(hadimulyo_barat))
    # A household without a DTSEN rank: neither registered nor in the group, and told why.
    refused = worker_client.post(url, {**data, "kelompok-role": Role.SEKRETARIS})
    assert "belum punya peringkat DTSEN" in refused.content.decode()
    assert not Participant.objects.filter(full_name="Slamet Widodo").exists()
    record_rank("1872011501150001", 1)
    response = worker_client.post(url, {**data, "kelompok-role": Role.SEKRETARIS})
    assert response.url == reverse("group", args=[group.pk])
    membership = group.memberships.get()
    assert (membership.participant.full_name, membership.role) == ("Slamet Widodo", Role.SEKRETARIS)


def test_member_is_added_with_a_role(worker_client, group):
    person = ParticipantFactory(kelurahan=group.kelurahan)
    response = worker_client.post(
        reverse("participants:member_add", args=[group.pk]),
        {"participant": person.pk, "role": Role.KETUA, "joined_on": "2026-07-25"},
    )
    assert response.status_code == 302
    membership = group.memberships.get()
    assert (membership.participant, membership.role) == (person, Role.KETUA)


def test_add_member_offers_only_residents_not_yet_in_a_group(worker_client, group, karangrejo):
    (member,) = fill_group(group, 1)
    free = ParticipantFactory(kelurahan=group.kelurahan)
    ParticipantFactory(kelurahan=karangrejo)
    response = worker_client.get(reverse("participants:member_add", args=[group.pk]))
    offered = list(response.context["form"].fields["participant"].queryset)
    assert offered == [free]


def test_second_chair_gets_a_clear_message_not_an_error_page(worker_client, group):
    fill_group(group, 1)
    person = ParticipantFactory(kelurahan=group.kelurahan)
    response = worker_client.post(
        reverse("participants:member_add", args=[group.pk]),
        {"participant": person.pk, "role": Role.KETUA},
    )
    assert response.status_code == 200
    assert "Satu kelompok hanya punya satu Ketua" in response.content.decode()
    assert not person.memberships.exists()


def test_eleventh_member_gets_a_clear_message(worker_client, full_group):
    person = ParticipantFactory(kelurahan=full_group.kelurahan)
    response = worker_client.post(
        reverse("participants:member_add", args=[full_group.pk]),
        {"participant": person.pk, "role": Role.ANGGOTA},
    )
    assert response.status_code == 200
    assert "Satu kelompok paling banyak 10 anggota" in response.content.decode()
    assert full_group.memberships.count() == 10


def test_member_is_removed_by_post(worker_client, group):
    chair, member = fill_group(group, 2)
    response = worker_client.post(
        reverse("participants:member_remove", args=[group.pk, member.pk]), follow=True
    )
    assert f"{member.participant.full_name} dikeluarkan dari kelompok." in response.content.decode()
    assert list(group.memberships.all()) == [chair]


def test_social_worker_creates_a_group_in_their_kelurahan(worker_client, hadimulyo_barat):
    program = ProgramFactory()
    response = worker_client.post(
        reverse("participants:group_create"),
        {"name": "Kelompok Baru", "program": program.pk, "kelurahan": hadimulyo_barat.pk},
    )
    group = ParticipantGroup.objects.get()
    assert response.url == reverse("group", args=[group.pk])
    assert group.kelurahan == hadimulyo_barat


def test_group_with_a_taken_name_is_refused_with_a_message(worker_client, group):
    response = worker_client.post(
        reverse("participants:group_create"),
        {"name": group.name, "program": group.program_id, "kelurahan": group.kelurahan_id},
    )
    assert "Kelurahan ini sudah punya kelompok dengan nama ini" in response.content.decode()
    assert ParticipantGroup.objects.count() == 1


def test_search_by_nik_posts_and_finds_the_person(worker_client, hadimulyo_barat, karangrejo):
    wanted = ParticipantFactory(kelurahan=hadimulyo_barat, full_name="Sumarni")
    ParticipantFactory(kelurahan=hadimulyo_barat)
    outside = ParticipantFactory(kelurahan=karangrejo)
    spaced = " ".join(wanted.nik[i : i + 4] for i in range(0, 16, 4))

    response = worker_client.post(reverse("participants:participant_list"), {"q": spaced})
    assert response.context["results"] == [wanted]

    response = worker_client.post(reverse("participants:participant_list"), {"q": outside.nik})
    assert response.context["results"] == []


def test_search_by_part_of_a_name(worker_client, hadimulyo_barat):
    wanted = ParticipantFactory(kelurahan=hadimulyo_barat, full_name="Sri Wahyuni")
    ParticipantFactory(kelurahan=hadimulyo_barat, full_name="Paijo")
    response = worker_client.post(reverse("participants:participant_list"), {"q": "wahyu"})
    assert response.context["results"] == [wanted]
    assert "1 peserta ditemukan." in response.content.decode()


def test_supervisor_sees_masked_niks_in_the_portal(client, supervisor, full_group):
    client.force_login(supervisor)
    member = full_group.memberships.select_related("participant").first().participant
    for url in (
        reverse("group", args=[full_group.pk]),
        reverse("person", args=[member.pk]),
        reverse("participants:participant_list"),
    ):
        html = client.get(url).content.decode()
        assert member.nik not in html, url
        assert member.nik[:4] + "**********" + member.nik[-2:] in html, url


def test_supervisor_cannot_change_participants(client, supervisor, full_group):
    client.force_login(supervisor)
    member = full_group.memberships.first()
    assert client.get(reverse("participants:participant_create")).status_code == 403
    assert (
        client.post(
            reverse("participants:member_remove", args=[full_group.pk, member.pk])
        ).status_code
        == 403
    )


def test_group_page_queries_do_not_grow_with_members(worker_client, group, hadimulyo_barat):
    fill_group(group, 3)
    few = queries_for(worker_client, reverse("group", args=[group.pk]))
    fill_group(group, 7)
    many = queries_for(worker_client, reverse("group", args=[group.pk]))
    assert few == many


def test_home_queries_do_not_grow_with_groups(worker_client, hadimulyo_barat):
    fill_group(GroupFactory(kelurahan=hadimulyo_barat), 3)
    few = queries_for(worker_client, reverse("home"))
    for _ in range(4):
        fill_group(GroupFactory(kelurahan=hadimulyo_barat), 10)
    many = queries_for(worker_client, reverse("home"))
    assert few == many


def test_participant_list_queries_do_not_grow_with_participants(worker_client, group):
    fill_group(group, 3)
    few = queries_for(worker_client, reverse("participants:participant_list"))
    fill_group(group, 7)
    ParticipantFactory.create_batch(20, kelurahan=group.kelurahan)
    many = queries_for(worker_client, reverse("participants:participant_list"))
    assert few == many


def test_staff_see_every_kelurahan_too(client, admin_staff, full_group, elsewhere):
    client.force_login(admin_staff)
    html = client.get(reverse("home")).content.decode()
    assert full_group.name in html
    assert elsewhere[0].name in html


def test_assessment_and_plan_pages_refuse_other_methods(worker_client, full_group):
    for name in ("assessments:assessment", "assessments:plan"):
        url = reverse(name, args=[full_group.pk])
        assert worker_client.put(url).status_code == 405
        assert worker_client.delete(url).status_code == 405
    assert (
        worker_client.get(reverse("assessments:plan_review", args=[full_group.pk])).status_code
        == 405
    )


def test_a_wrong_password_is_said_once_and_plainly(client, social_worker):
    page = client.post(reverse("login"), {"username": "pekerja", "password": "salah-sandi"})
    html = page.content.decode()
    assert "Nama pengguna atau kata sandi salah" in html
    assert "nama pengguna nama pengguna" not in html.lower()


def test_lists_mask_niks_even_for_the_worker_and_the_person_page_shows_it(
    worker_client, full_group
):
    member = full_group.memberships.select_related("participant").first().participant
    masked = member.nik[:4] + "**********" + member.nik[-2:]
    for url in (
        reverse("group", args=[full_group.pk]),
        reverse("participants:participant_list"),
    ):
        html = worker_client.get(url).content.decode()
        assert member.nik not in html and masked in html, url
    page = worker_client.get(reverse("person", args=[member.pk]))
    assert member.nik in page.content.decode()


def test_a_full_group_says_why_no_member_can_be_added(worker_client, full_group):
    html = worker_client.get(reverse("group", args=[full_group.pk])).content.decode()
    assert reverse("participants:member_add", args=[full_group.pk]) not in html
    assert "Kelompok sudah penuh (10 anggota)" in html


def test_a_person_in_no_group_is_offered_the_groups_with_room(
    worker_client, full_group, hadimulyo_barat
):
    group = GroupFactory(kelurahan=hadimulyo_barat)
    fill_group(group, 4)
    person = ParticipantFactory(kelurahan=hadimulyo_barat)
    page = worker_client.get(reverse("person", args=[person.pk]))
    html = page.content.decode()
    add_url = reverse("participants:member_add", args=[group.pk]) + f"?peserta={person.pk}"
    assert add_url in html and "Masukkan ke kelompok ini" in html
    assert full_group.name not in html  # no room there
    # The add-member page comes with the person already chosen.
    form = worker_client.get(add_url).context["form"]
    assert str(form["participant"].value()) == str(person.pk)
    response = worker_client.post(
        add_url, {"participant": person.pk, "role": Role.ANGGOTA, "joined_on": "28/11/2026"}
    )
    assert response.status_code == 302
    assert group.memberships.filter(participant=person).exists()


def test_a_person_with_nowhere_to_go_is_told_so(worker_client, full_group, hadimulyo_barat):
    person = ParticipantFactory(kelurahan=hadimulyo_barat)
    html = worker_client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Belum ada kelompok di kelurahan ini yang masih punya tempat" in html
    assert reverse("participants:group_create") in html


def test_dates_are_typed_and_shown_day_first_in_both_languages(worker_client, group):
    page = worker_client.get(reverse("participants:participant_create")).content.decode()
    assert 'placeholder="hh/bb/tttt"' in page and 'type="date"' not in page
    response = worker_client.post(
        reverse("participants:member_add", args=[group.pk]),
        {"participant": ParticipantFactory(kelurahan=group.kelurahan).pk, "role": Role.ANGGOTA,
         "joined_on": "08/11/2026"},
    )  # fmt: skip
    assert response.status_code == 302
    joined = group.memberships.get().joined_on
    assert (joined.day, joined.month) == (8, 11)
    # English pages keep the office's order: typed and shown day first.
    worker_client.post(reverse("set_language"), {"language": "en"})
    page = worker_client.get(reverse("participants:member_add", args=[group.pk])).content.decode()
    assert 'placeholder="dd/mm/yyyy"' in page
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in page
    with translation.override("en"):
        assert formats.date_format(joined) == "08/11/2026"


def test_the_search_box_is_optional_and_an_empty_search_lists_everyone(
    worker_client, hadimulyo_barat
):
    ParticipantFactory(kelurahan=hadimulyo_barat, full_name="Sri Wahyuni")
    page = worker_client.get(reverse("participants:participant_list")).content.decode()
    assert "Nama atau NIK*" not in page
    response = worker_client.post(reverse("participants:participant_list"), {"q": ""})
    assert "Sri Wahyuni" in response.content.decode()


def test_registration_prefills_today_as_the_consent_date(worker_client):
    form = worker_client.get(reverse("participants:participant_create")).context["form"]
    assert form["consent_date"].value() == timezone.localdate()
    html = str(form["consent_date"])
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in html


def test_the_offered_consent_date_is_not_kept_without_the_consent(worker_client, hadimulyo_barat):
    fields = participant_fields(hadimulyo_barat, consent_given=False)
    data = as_form_data(fields)
    data.pop("consent_given", None)
    worker_client.post(reverse("participants:participant_create"), data)
    saved = Participant.objects.get()
    assert (saved.consent_given, saved.consent_date) == (False, None)


def test_the_add_member_page_of_a_full_group_says_so_instead_of_a_form(worker_client, full_group):
    page = worker_client.get(reverse("participants:member_add", args=[full_group.pk]))
    html = page.content.decode()
    assert "Kelompok sudah penuh (10 anggota)" in html
    assert 'name="participant"' not in html
