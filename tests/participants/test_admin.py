import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metro_slum import figures
from participants.models import (
    Kelurahan,
    KelurahanAssignment,
    Membership,
    Participant,
    ParticipantGroup,
)
from tests.conftest import fill_group
from tests.factories import (
    GroupFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    as_form_data,
    participant_fields,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role


def make_participants(count):
    kelurahan = list(Kelurahan.objects.program_areas())
    for index in range(count):
        ParticipantFactory(kelurahan=kelurahan[index % len(kelurahan)])


def make_groups(count):
    program = ProgramFactory()
    for index in range(count):
        GroupFactory(program=program, name=f"Kelompok {index:03d}")


def make_memberships(count):
    program = ProgramFactory()
    groups = [GroupFactory(program=program) for _ in range((count + 9) // 10)]
    people = [ParticipantFactory(kelurahan=groups[0].kelurahan) for _ in range(count)]
    Membership.objects.bulk_create(
        Membership(group=groups[i // 10], participant=p, program=program, role=Role.ANGGOTA)
        for i, p in enumerate(people)
    )
    figures.changed(groups=[group.pk for group in groups])


def make_programs(count):
    for _ in range(count):
        ProgramFactory()


def make_assignments(count):
    kelurahan = list(Kelurahan.objects.all())
    for index in range(count):
        user = UserFactory()
        KelurahanAssignment.objects.create(user=user, kelurahan=kelurahan[index % 22])


CHANGELISTS = {
    "participants_participant": make_participants,
    "participants_participantgroup": make_groups,
    "participants_membership": make_memberships,
    "participants_program": make_programs,
    "participants_kelurahanassignment": make_assignments,
}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_changelist_runs_the_same_queries_for_10_and_200_rows(
    client, superuser, changelist, django_assert_num_queries
):
    client.force_login(superuser)
    url = reverse(f"admin:{changelist}_changelist")
    CHANGELISTS[changelist](10)
    with_ten, _response = count_queries(client, url)

    CHANGELISTS[changelist](190)
    with django_assert_num_queries(with_ten):
        response = client.get(url)
    assert response.status_code == 200
    assert "200" in response.content.decode()  # "200 peserta" etc.: all the rows are counted


def test_demo_admin_logs_in_at_admin(client):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "rahasia-uji", "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Administrasi program" in response.content.decode()


def test_participant_found_by_exact_nik_typed_with_spaces(client, admin_staff):
    wanted = ParticipantFactory(full_name="Sumarni")
    ParticipantFactory.create_batch(3)
    client.force_login(admin_staff)
    spaced = " ".join(wanted.nik[i : i + 4] for i in range(0, 16, 4))

    response = client.get(reverse("admin:participants_participant_changelist"), {"q": spaced})

    assert list(response.context["cl"].result_list) == [wanted]


def test_participant_search_by_part_of_a_nik_finds_nothing(client, admin_staff):
    wanted = ParticipantFactory()
    client.force_login(admin_staff)
    response = client.get(
        reverse("admin:participants_participant_changelist"), {"q": wanted.nik[:8]}
    )
    assert list(response.context["cl"].result_list) == []


def test_participants_filtered_by_kecamatan(client, admin_staff, hadimulyo_barat, karangrejo):
    here = ParticipantFactory(kelurahan=hadimulyo_barat)
    ParticipantFactory(kelurahan=karangrejo)
    client.force_login(admin_staff)
    response = client.get(
        reverse("admin:participants_participant_changelist"),
        {"kelurahan__kecamatan__id__exact": hadimulyo_barat.kecamatan_id},
    )
    assert list(response.context["cl"].result_list) == [here]


def test_supervisor_sees_niks_masked_in_the_list_and_on_the_page(client, supervisor):
    person = ParticipantFactory(nik="1872015208850004", sex=Participant.Sex.FEMALE)
    client.force_login(supervisor)

    listing = client.get(reverse("admin:participants_participant_changelist")).content.decode()
    page = client.get(
        reverse("admin:participants_participant_change", args=[person.pk])
    ).content.decode()

    for html in (listing, page):
        assert "1872**********04" in html
        assert person.nik not in html
    assert person.kk_number not in page


def test_staff_see_full_niks(client, admin_staff):
    person = ParticipantFactory()
    client.force_login(admin_staff)
    listing = client.get(reverse("admin:participants_participant_changelist")).content.decode()
    assert person.nik in listing


def test_admin_refuses_an_invalid_nik_with_the_indonesian_message(
    client, admin_staff, hadimulyo_barat
):
    client.force_login(admin_staff)
    response = client.post(
        reverse("admin:participants_participant_add"),
        as_form_data(participant_fields(hadimulyo_barat, nik="1872 0112 0885 000")),
    )
    assert response.status_code == 200
    assert "NIK harus 16 digit; yang diisi 15 digit." in response.content.decode()
    assert not Participant.objects.exists()


def test_admin_saves_a_participant_through_the_service(client, admin_staff, hadimulyo_barat):
    client.force_login(admin_staff)
    response = client.post(
        reverse("admin:participants_participant_add"),
        as_form_data(participant_fields(hadimulyo_barat, nik="1872.0112.0885.0003")),
    )
    assert response.status_code == 302
    saved = Participant.objects.get()
    assert saved.nik == "1872011208850003"
    assert saved.created_by == admin_staff


def group_form_data(group, rows, initial=0):
    data = {
        "name": group.name,
        "program": group.program_id,
        "kelurahan": group.kelurahan_id,
        "business_type": group.business_type,
        "business_type_other": "",
        "notes": "",
        "memberships-TOTAL_FORMS": len(rows),
        "memberships-INITIAL_FORMS": initial,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 10,
    }
    for index, row in enumerate(rows):
        prefix = f"memberships-{index}-"
        data[prefix + "participant"] = row["participant"].pk
        data[prefix + "role"] = row["role"]
        data[prefix + "joined_on"] = "2026-07-25"
        data[prefix + "group"] = group.pk
        if "id" in row:
            data[prefix + "id"] = row["id"]
        if row.get("delete"):
            data[prefix + "DELETE"] = "on"
    return data


def existing_rows(group):
    return [
        {"participant": m.participant, "role": m.role, "id": m.pk}
        for m in group.memberships.order_by("pk")
    ]


def test_group_inline_adds_members_through_the_service(client, superuser, group):
    people = [ParticipantFactory(kelurahan=group.kelurahan) for _ in range(2)]
    client.force_login(superuser)
    rows = [
        {"participant": people[0], "role": Role.KETUA},
        {"participant": people[1], "role": Role.ANGGOTA},
    ]
    response = client.post(
        reverse("admin:participants_participantgroup_change", args=[group.pk]),
        group_form_data(group, rows),
    )
    assert response.status_code == 302
    assert group.memberships.get(role=Role.KETUA).participant == people[0]
    assert set(group.memberships.values_list("program", flat=True)) == {group.program_id}


def test_group_inline_refuses_an_eleventh_member_and_saves_nothing(client, superuser, group):
    fill_group(group, 10)
    newcomer = ParticipantFactory(kelurahan=group.kelurahan)
    client.force_login(superuser)
    rows = existing_rows(group) + [{"participant": newcomer, "role": Role.ANGGOTA}]

    response = client.post(
        reverse("admin:participants_participantgroup_change", args=[group.pk]),
        group_form_data(group, rows, initial=10),
    )

    assert response.status_code == 200
    assert "Satu kelompok paling banyak 10 anggota" in response.content.decode()
    assert group.memberships.count() == 10
    assert not newcomer.memberships.exists()


def test_group_inline_refuses_two_chairs(client, superuser, group):
    fill_group(group, 1)
    client.force_login(superuser)
    rows = existing_rows(group) + [
        {"participant": ParticipantFactory(kelurahan=group.kelurahan), "role": Role.KETUA}
    ]
    response = client.post(
        reverse("admin:participants_participantgroup_change", args=[group.pk]),
        group_form_data(group, rows, initial=1),
    )
    assert "Satu kelompok hanya punya satu Ketua" in response.content.decode()
    assert group.memberships.count() == 1


def test_group_inline_swaps_chair_and_member_and_removes_one(client, superuser, group):
    chair, secretary, member = fill_group(group, 3)
    client.force_login(superuser)
    rows = existing_rows(group)
    rows[0]["role"] = Role.ANGGOTA
    rows[2]["role"] = Role.KETUA
    rows[1]["delete"] = True

    response = client.post(
        reverse("admin:participants_participantgroup_change", args=[group.pk]),
        group_form_data(group, rows, initial=3),
    )

    assert response.status_code == 302
    assert dict(group.memberships.values_list("participant_id", "role")) == {
        chair.participant_id: Role.ANGGOTA,
        member.participant_id: Role.KETUA,
    }


def test_group_list_shows_member_count_and_chair(client, superuser, group):
    members = fill_group(group, 10)
    client.force_login(superuser)
    html = client.get(reverse("admin:participants_participantgroup_changelist")).content.decode()
    assert "10/10" in html
    assert members[0].participant.full_name in html


def test_memberships_are_not_added_outside_the_group_page(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:participants_membership_add"))
    assert response.status_code == 403


def test_deleting_a_membership_in_admin_removes_it(client, superuser, group):
    (membership,) = fill_group(group, 1)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:participants_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not group.memberships.exists()


def test_social_worker_without_staff_access_cannot_open_admin(client, group):
    worker = UserFactory(username="pekerja", roles=["Pekerja Sosial"])
    client.force_login(worker)
    response = client.get(reverse("admin:participants_participant_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_refuses_a_second_group_with_the_same_name_in_a_kelurahan(client, superuser, group):
    client.force_login(superuser)
    data = group_form_data(group, [])
    response = client.post(reverse("admin:participants_participantgroup_add"), data)
    assert "Kelurahan ini sudah punya kelompok dengan nama ini" in response.content.decode()
    assert ParticipantGroup.objects.count() == 1
