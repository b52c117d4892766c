import pytest
from django.contrib.auth.models import Group

from metro_slum import roles
from participants.models import Kecamatan, Kelurahan

pytestmark = pytest.mark.django_db

PROGRAM_AREAS = {
    "1872011004": ("Hadimulyo Barat", "Metro Pusat"),
    "1872021003": ("Karangrejo", "Metro Utara"),
    "1872031004": ("Ganjar Asri", "Metro Barat"),
    "1872041003": ("Iringmulyo", "Metro Timur"),
    "1872051001": ("Rejomulyo", "Metro Selatan"),
}


def test_every_installation_has_the_five_kecamatan_and_22_kelurahan_of_kota_metro():
    assert list(Kecamatan.objects.values_list("code", "name")) == [
        ("187201", "Metro Pusat"),
        ("187202", "Metro Utara"),
        ("187203", "Metro Barat"),
        ("187204", "Metro Timur"),
        ("187205", "Metro Selatan"),
    ]
    assert Kelurahan.objects.count() == 22
    for kelurahan in Kelurahan.objects.select_related("kecamatan"):
        assert kelurahan.code.startswith(kelurahan.kecamatan.code)


def test_the_five_slum_kelurahan_are_flagged_as_programme_areas():
    areas = {
        k.code: (k.name, k.kecamatan.name)
        for k in Kelurahan.objects.program_areas().select_related("kecamatan")
    }
    assert areas == PROGRAM_AREAS


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Ganjarasri", "Ganjar Asri"),
        ("ganjar asri", "Ganjar Asri"),
        ("  GANJAR  ASRI ", "Ganjar Asri"),
        ("Iring Mulyo", "Iringmulyo"),
        ("Kelurahan Hadimulyo Barat", "Hadimulyo Barat"),
        ("Kel. Rejomulyo", "Rejomulyo"),
        ("hadimulyobarat", "Hadimulyo Barat"),
    ],
)
def test_kelurahan_name_lookup_forgives_case_and_spaces(typed, found):
    assert Kelurahan.objects.by_name(typed).get().name == found


def test_kelurahan_name_lookup_does_not_confuse_neighbours():
    assert not Kelurahan.objects.by_name("Hadimulyo").exists()
    assert Kelurahan.objects.by_name("Tejo Agung").get().code == "1872041005"


def test_role_groups_exist_with_their_permissions():
    social_worker = Group.objects.get(name=roles.SOCIAL_WORKER)
    supervisor = Group.objects.get(name=roles.SUPERVISOR)
    staff = Group.objects.get(name=roles.ADMIN_STAFF)

    def codenames(group):
        return set(group.permissions.values_list("codename", flat=True))

    assert {"add_participant", "add_membership", "view_identity_numbers"} <= codenames(
        social_worker
    )
    assert "add_program" not in codenames(social_worker)
    assert {"view_participant", "add_kelurahanassignment"} <= codenames(supervisor)
    # Separation of duties: who approves grants does not set the budget they are checked against.
    assert {"add_program", "change_program"}.isdisjoint(codenames(supervisor))
    assert {"add_program", "change_program"} <= codenames(staff)
    assert "add_participant" not in codenames(supervisor)
    assert "view_identity_numbers" not in codenames(supervisor)
    assert {"add_participant", "view_identity_numbers"} <= codenames(staff)


def test_every_permission_named_for_a_role_exists():
    for role, names in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        assert group.permissions.count() == len(set(names)), role


def test_resyncing_roles_restores_a_permission_removed_by_hand():
    group = Group.objects.get(name=roles.SOCIAL_WORKER)
    group.permissions.clear()
    roles.sync_role_groups()
    assert group.permissions.filter(codename="add_participant").exists()
