import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participants import services
from participants.models import Participant
from tests.conftest import fill_group
from tests.factories import ParticipantFactory, participant_fields


def refused(**data):
    with pytest.raises(ValidationError) as caught:
        services.participant_create(**data)
    assert Participant.objects.count() == 0, "a refused participant must not be saved"
    return caught.value.message_dict


def test_participant_is_saved_with_separators_stripped_and_author_stamped(
    hadimulyo_barat, superuser
):
    participant = services.participant_create(by=superuser, **participant_fields(hadimulyo_barat))

    saved = Participant.objects.get()
    assert saved == participant
    assert saved.nik == "1872011208850003"
    assert saved.kk_number == "1872011501150001"
    assert saved.created_by == superuser
    assert saved.updated_by == superuser


def test_invalid_nik_is_refused_and_nothing_is_saved(hadimulyo_barat):
    errors = refused(**participant_fields(hadimulyo_barat, nik="1872011208850000"))
    assert errors["nik"] == ["Empat digit terakhir NIK (nomor urut) tidak boleh 0000."]


def test_nik_disagreeing_with_birth_date_is_refused(hadimulyo_barat):
    errors = refused(**participant_fields(hadimulyo_barat, birth_date=datetime.date(1985, 8, 21)))
    assert "NIK menunjukkan tanggal lahir 12-08-85" in errors["nik"][0]


def test_nik_disagreeing_with_sex_is_refused(hadimulyo_barat):
    errors = refused(**participant_fields(hadimulyo_barat, sex=Participant.Sex.FEMALE))
    assert "NIK ini milik laki-laki" in errors["nik"][0]


def test_second_participant_with_the_same_nik_is_refused(hadimulyo_barat):
    services.participant_create(**participant_fields(hadimulyo_barat))
    with pytest.raises(ValidationError) as caught:
        services.participant_create(**participant_fields(hadimulyo_barat, full_name="Orang Lain"))
    assert caught.value.message_dict["nik"][0].startswith("Peserta dengan NIK ini sudah terdaftar.")
    assert Participant.objects.count() == 1


def test_invalid_family_card_number_is_refused(hadimulyo_barat):
    errors = refused(**participant_fields(hadimulyo_barat, kk_number="18720115011500"))
    assert errors["kk_number"] == ["No. KK harus 16 digit; yang diisi 14 digit."]


def test_consent_without_a_date_is_refused(hadimulyo_barat):
    errors = refused(**participant_fields(hadimulyo_barat, consent_date=None))
    assert errors["consent_date"] == ["Isi tanggal peserta memberikan persetujuan."]


def test_birth_date_in_the_future_is_refused(hadimulyo_barat):
    errors = refused(**participant_fields(hadimulyo_barat, birth_date=datetime.date(2085, 8, 12)))
    assert errors["birth_date"] == [
        "Tanggal lahir 12/08/2085 bukan tanggal yang sudah lewat (hari ini "
        f"{timezone.localdate():%d/%m/%Y}). Salin tanggal lahir dari KTP atau kartu keluarga."
    ]


def test_update_changes_fields_and_stamps_the_editor(hadimulyo_barat, superuser, admin_staff):
    participant = services.participant_create(by=superuser, **participant_fields(hadimulyo_barat))

    participant.phone = "0812 3456 7890"
    services.participant_save(participant=participant, by=admin_staff)

    participant.refresh_from_db()
    assert participant.phone == "081234567890"
    assert participant.created_by == superuser
    assert participant.updated_by == admin_staff


def test_member_cannot_move_to_another_kelurahan_than_the_group(group, karangrejo):
    (membership,) = fill_group(group, 1)
    participant = membership.participant

    with pytest.raises(ValidationError) as caught:
        participant.kelurahan = karangrejo
        services.participant_save(participant=participant)

    assert "Keluarkan dulu dari kelompok itu" in caught.value.message_dict["kelurahan"][0]
    participant.refresh_from_db()
    assert participant.kelurahan == group.kelurahan


def test_participant_not_in_a_group_can_move_kelurahan(hadimulyo_barat, karangrejo):
    participant = ParticipantFactory(kelurahan=hadimulyo_barat)
    participant.kelurahan = karangrejo
    services.participant_save(participant=participant)
    participant.refresh_from_db()
    assert participant.kelurahan == karangrejo


def test_consent_as_legal_basis_needs_the_consent_recorded(hadimulyo_barat):
    with pytest.raises(ValidationError) as caught:
        services.participant_create(
            **participant_fields(
                hadimulyo_barat,
                legal_basis=Participant.LegalBasis.CONSENT,
                consent_given=False,
                consent_date=None,
            )
        )
    assert "dasar hukumnya persetujuan" in str(caught.value)
    person = services.participant_create(
        **participant_fields(hadimulyo_barat, consent_given=False, consent_date=None)
    )
    assert person.legal_basis == Participant.LegalBasis.PUBLIC_TASK
