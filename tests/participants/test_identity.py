import datetime

import pytest
from django.core.exceptions import ValidationError

from metro_slum.logging import redact
from participants.identity import (
    looks_like_identity_number,
    mask,
    nik_agreement_errors,
    nik_birth,
    normalize_identity_number,
    validate_kk,
    validate_nik,
)

VALID_MAN = "1872011208850003"  # Metro Pusat, born 12-08-1985, serial 0003
VALID_WOMAN = "1872015208850004"  # same date, day 12 + 40 = 52


def refusal(validator, value):
    with pytest.raises(ValidationError) as caught:
        validator(value)
    error = caught.value.error_list[0]
    return error.code, str(caught.value.messages[0])


@pytest.mark.parametrize("value", [VALID_MAN, VALID_WOMAN, "9471010101000001", "1101012902000001"])
def test_valid_niks_are_accepted(value):
    validate_nik(value)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1872 0112 0885 0003", "1872011208850003"),
        ("1872.0112.0885.0003", "1872011208850003"),
        (" 1872011208850003\t", "1872011208850003"),
        (None, ""),
    ],
)
def test_spaces_and_dots_typed_in_a_number_are_stripped(typed, stored):
    assert normalize_identity_number(typed) == stored


def test_nik_with_letters_is_refused_with_its_own_message():
    code, message = refusal(validate_nik, "18720112O8850003")
    assert code == "nik_not_digits"
    assert message == "NIK hanya boleh berisi angka; hapus huruf dan karakter lain."


@pytest.mark.parametrize("value", ["187201120885000", "18720112088500031"])
def test_nik_of_wrong_length_names_the_length_entered(value):
    code, message = refusal(validate_nik, value)
    assert code == "nik_length"
    assert message == f"NIK harus 16 digit; yang diisi {len(value)} digit."


@pytest.mark.parametrize("province", ["00", "10", "20", "99", "41"])
def test_nik_with_unknown_province_code_is_refused(province):
    code, message = refusal(validate_nik, province + VALID_MAN[2:])
    assert code == "nik_province"
    assert f"({province}) bukan kode provinsi" in message


@pytest.mark.parametrize(
    "birth_part",
    [
        "320885",  # day 32
        "001285",  # day 0
        "121385",  # month 13
        "120085",  # month 0
        "300285",  # 30 February
        "290201",  # 29 February 2001 / 1901
        "720885",  # woman's day 32
        "400885",  # neither a man's day nor a woman's
    ],
)
def test_nik_whose_birth_part_is_no_real_date_is_refused(birth_part):
    code, message = refusal(validate_nik, f"187201{birth_part}0003")
    assert code == "nik_birth_date"
    assert f"NIK ({birth_part}) bukan tanggal lahir yang sah" in message


def test_leap_day_of_2000_is_a_real_date_in_a_nik():
    validate_nik("1872012902000001")
    assert nik_birth("1872016902000001").is_female


def test_nik_with_serial_0000_is_refused():
    code, message = refusal(validate_nik, "1872011208850000")
    assert code == "nik_serial"
    assert message == "Empat digit terakhir NIK (nomor urut) tidak boleh 0000."


def test_nik_decodes_women_day_plus_forty():
    birth = nik_birth(VALID_WOMAN)
    assert (birth.day, birth.month, birth.year_two_digits, birth.is_female) == (12, 8, 85, True)
    assert not nik_birth(VALID_MAN).is_female


def test_nik_agreeing_with_birth_date_and_sex_gives_no_error():
    assert nik_agreement_errors(VALID_MAN, datetime.date(1985, 8, 12), False) == []
    assert nik_agreement_errors(VALID_WOMAN, datetime.date(1985, 8, 12), True) == []


def test_nik_with_other_birth_date_says_both_dates():
    (error,) = nik_agreement_errors(VALID_MAN, datetime.date(1985, 8, 13), False)
    assert error.code == "nik_birth_date_mismatch"
    assert error.messages == [
        "NIK menunjukkan tanggal lahir 12-08-85 (HH-BB-TT), tetapi tanggal lahir yang diisi "
        "13-08-1985. Perbaiki NIK atau tanggal lahirnya."
    ]


def test_nik_with_other_century_same_two_digit_year_agrees():
    assert nik_agreement_errors(VALID_MAN, datetime.date(1885, 8, 12), False) == []


def test_woman_nik_recorded_as_a_man_is_refused():
    (error,) = nik_agreement_errors(VALID_WOMAN, datetime.date(1985, 8, 12), False)
    assert error.code == "nik_sex_mismatch"
    assert "NIK ini milik perempuan" in error.messages[0]


def test_man_nik_recorded_as_a_woman_is_refused():
    (error,) = nik_agreement_errors(VALID_MAN, datetime.date(1985, 8, 12), True)
    assert "NIK ini milik laki-laki" in error.messages[0]


def test_agreement_is_not_checked_on_a_malformed_nik():
    assert nik_agreement_errors("123", datetime.date(1985, 8, 12), True) == []


def test_valid_family_card_number_is_accepted():
    validate_kk("1872011501150001")


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("1872O11501150001", "kk_not_digits", "No. KK hanya boleh berisi angka"),
        ("187201150115", "kk_length", "No. KK harus 16 digit; yang diisi 12 digit."),
        ("0072011501150001", "kk_province", "Dua digit pertama No. KK (00)"),
    ],
)
def test_invalid_family_card_number_is_refused_with_its_own_message(value, code, message):
    refused_code, refused_message = refusal(validate_kk, value)
    assert refused_code == code
    assert message in refused_message


# One module for identity numbers: ASCII digits only, a mask that hides the birth date, redaction.


@pytest.mark.parametrize(
    "value",
    [
        "18７２011208850003",  # a full-width seven
        "187201120885٠٠٠٣",  # Arabic-Indic digits
        "18720115²1900328",  # a superscript two
        "1872011208850００3",
    ],
)
def test_only_ascii_digits_make_a_nik_and_nothing_crashes(value):
    with pytest.raises(ValidationError) as caught:
        validate_nik(value)
    assert caught.value.code == "nik_not_digits"
    with pytest.raises(ValidationError):
        validate_kk(value)
    assert nik_agreement_errors(value, None, None) == []
    assert not looks_like_identity_number(value)


def test_the_mask_shows_six_digits_and_nothing_of_the_birth_date():
    masked = mask("1872014711711002")
    assert masked == "1872**********02"
    assert sum(char.isdigit() for char in masked) == 6
    assert "471171" not in masked and masked[6:12] == "******"
    assert mask("") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /admin/?q=1872011208850003", "GET /admin/?q=1872************"),
        ("q=1872+0112+0885+0003", "q=1872+****+****+****"),
        ("q=1872%200112%200885%200003", "q=1872%20****%20****%20****"),
        ("nik 1872.0112.0885.0003", "nik 1872.****.****.****"),
        ("prefix 187201120885000 typed", "prefix 1872*********** typed"),
        (
            "Key (nik)=(1872011208850003) already exists",
            "Key (nik)=(1872************) already exists",
        ),
    ],
)
def test_redaction_catches_spaced_dotted_encoded_and_partial_numbers(text, expected):
    assert redact(text) == expected


def test_redaction_leaves_money_dates_and_addresses_alone():
    line = '127.0.0.1 - [28/Nov/2026 19:11:25] "GET /program/ HTTP/1.1" 200 5120 Rp 20000000'
    assert redact(line) == line
