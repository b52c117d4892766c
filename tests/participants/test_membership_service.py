import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from participants import services
from participants.models import Membership
from tests.conftest import fill_group
from tests.factories import GroupFactory, ParticipantFactory, ProgramFactory
from tests.helpers import messages_of

Role = Membership.Role


def test_group_is_complete_with_ten_members_and_three_officers(group):
    fill_group(group, 10)

    roles = sorted(group.memberships.values_list("role", flat=True))
    assert group.memberships.count() == 10
    assert roles.count(Role.ANGGOTA) == 7
    assert {Role.KETUA, Role.SEKRETARIS, Role.BENDAHARA} <= set(roles)


def test_eleventh_member_is_refused_with_a_message_and_not_saved(group):
    fill_group(group, 10)
    eleventh = ParticipantFactory(kelurahan=group.kelurahan)

    with pytest.raises(ValidationError) as caught:
        services.membership_add(group=group, participant=eleventh)

    assert messages_of(caught) == [
        "Satu kelompok paling banyak 10 anggota; perubahan ini membuatnya 11. Keluarkan dulu "
        "seorang anggota, atau masukkan orang ini ke kelompok lain."
    ]
    assert group.memberships.count() == 10
    assert not eleventh.memberships.exists()


def test_second_chair_is_refused(group):
    fill_group(group, 1)  # the chair
    other = ParticipantFactory(kelurahan=group.kelurahan)

    with pytest.raises(ValidationError) as caught:
        services.membership_add(group=group, participant=other, role=Role.KETUA)

    assert messages_of(caught) == [
        "Satu kelompok hanya punya satu Ketua; 2 anggota akan memegang jabatan itu. "
        "Jadikan yang lain anggota biasa."
    ]
    assert not other.memberships.exists()


@pytest.mark.parametrize("role", [Role.SEKRETARIS, Role.BENDAHARA])
def test_second_secretary_or_treasurer_is_refused(group, role):
    first = ParticipantFactory(kelurahan=group.kelurahan)
    services.membership_add(group=group, participant=first, role=role)

    with pytest.raises(ValidationError):
        services.membership_add(
            group=group, participant=ParticipantFactory(kelurahan=group.kelurahan), role=role
        )
    assert group.memberships.count() == 1


def test_any_number_of_ordinary_members_up_to_ten(group):
    for _ in range(10):
        services.membership_add(
            group=group, participant=ParticipantFactory(kelurahan=group.kelurahan)
        )
    assert group.memberships.filter(role=Role.ANGGOTA).count() == 10


def test_participant_in_a_group_cannot_join_another_group_of_the_same_programme(group):
    (membership,) = fill_group(group, 1)
    other_group = GroupFactory(program=group.program, kelurahan=group.kelurahan)

    with pytest.raises(ValidationError) as caught:
        services.membership_add(group=other_group, participant=membership.participant)

    assert messages_of(caught) == [
        f"{membership.participant.full_name} sudah menjadi anggota kelompok {group.name} dalam "
        "program ini; satu orang hanya boleh masuk satu kelompok per program."
    ]
    assert not other_group.memberships.exists()


def test_participant_may_join_a_group_of_another_programme(group):
    (membership,) = fill_group(group, 1)
    next_year = GroupFactory(program=ProgramFactory(year=2027), kelurahan=group.kelurahan)

    services.membership_add(group=next_year, participant=membership.participant)

    assert membership.participant.memberships.count() == 2


def test_member_from_another_kelurahan_is_refused(group, karangrejo):
    outsider = ParticipantFactory(kelurahan=karangrejo)

    with pytest.raises(ValidationError) as caught:
        services.membership_add(group=group, participant=outsider)

    assert messages_of(caught) == [
        f"{outsider.full_name} tinggal di kelurahan Karangrejo, sedangkan kelompok ini di "
        "Hadimulyo Barat. Anggota kelompok harus warga kelurahan kelompok itu."
    ]


def test_same_person_twice_in_one_change_is_refused(group):
    person = ParticipantFactory(kelurahan=group.kelurahan)
    with pytest.raises(ValidationError) as caught:
        services.group_roster_update(
            group=group,
            add=[services.MemberAddition(person), services.MemberAddition(person)],
        )
    assert f"{person.full_name} tercantum lebih dari satu kali." in messages_of(caught)
    assert not group.memberships.exists()


def test_every_broken_rule_is_reported_at_once_and_nothing_written(group, karangrejo):
    fill_group(group, 9)
    additions = [
        services.MemberAddition(ParticipantFactory(kelurahan=karangrejo), Role.KETUA),
        services.MemberAddition(ParticipantFactory(kelurahan=group.kelurahan)),
    ]

    with pytest.raises(ValidationError) as caught:
        services.group_roster_update(group=group, add=additions)

    assert len(caught.value.messages) == 3  # over ten, second chair, other kelurahan
    assert group.memberships.count() == 9


def test_chair_and_member_swap_roles_in_one_step(group):
    chair, secretary, treasurer, member = fill_group(group, 4)

    services.group_roster_update(
        group=group,
        change=[
            services.MemberChange(chair, Role.ANGGOTA),
            services.MemberChange(member, Role.KETUA),
        ],
    )

    assert group.memberships.get(role=Role.KETUA) == member
    chair.refresh_from_db()
    assert chair.role == Role.ANGGOTA


def test_removing_a_member_frees_a_place_in_a_full_group(group):
    members = fill_group(group, 10)
    services.membership_remove(membership=members[-1])

    newcomer = services.membership_add(
        group=group, participant=ParticipantFactory(kelurahan=group.kelurahan)
    )
    assert group.memberships.count() == 10
    assert newcomer.program == group.program


def test_changing_role_to_a_taken_officer_role_is_refused(group):
    chair, secretary = fill_group(group, 2)
    with pytest.raises(ValidationError):
        services.group_roster_update(
            group=group, change=[services.MemberChange(secretary, Role.KETUA)]
        )
    secretary.refresh_from_db()
    assert secretary.role == Role.SEKRETARIS


def test_group_with_members_cannot_move_to_another_programme(group):
    fill_group(group, 1)
    group.program = ProgramFactory(year=2027)
    with pytest.raises(ValidationError) as caught:
        services.group_save(group=group)
    assert caught.value.message_dict["program"] == [
        "Kelompok yang sudah beranggota tidak dapat dipindah ke program lain."
    ]


def test_other_business_type_needs_a_description(group):
    group.business_type = group.BusinessType.OTHER
    with pytest.raises(ValidationError) as caught:
        services.group_save(group=group)
    assert caught.value.message_dict["business_type_other"] == [
        "Tuliskan jenis usahanya bila memilih 'Lainnya'."
    ]


def test_database_refuses_a_second_group_in_the_same_programme_even_past_the_service(group):
    (membership,) = fill_group(group, 1)
    other_group = GroupFactory(program=group.program, kelurahan=group.kelurahan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(group=other_group, participant=membership.participant)


def test_database_refuses_a_second_chair_even_past_the_service(group):
    fill_group(group, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            group=group, participant=ParticipantFactory(kelurahan=group.kelurahan), role=Role.KETUA
        )
