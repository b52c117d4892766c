"""Indonesian identity numbers, NIK (national ID) and No. KK (family card): the one module that
normalises, validates, masks and redacts them, and says who may see them in full.

Each check is a small pure function with its own error code and message, so that the model, the
forms, the Excel importer and the management commands all refuse the same values with the same
words. Admin, portal, exports, imports and logging all call this module.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from metro_slum.formatting import normalize_identity_number
from metro_slum.logging import redact
from metro_slum.roles import may_see_full_numbers

__all__ = ["redact"]  # identity numbers in free text, for logs; kept beside the log filter

IDENTITY_NUMBER_LENGTH = 16

# Kemendagri province codes. 91-96 cover both the old Papua codes (Papua 94, Papua Barat 91) that
# older NIKs still carry and the provinces created in 2022.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip

FEMALE_DAY_OFFSET = 40

# Only the ASCII digits 0-9: str.isdigit() also accepts full-width, Arabic-Indic and superscript
# digits, which would store a second copy of a NIK the unique rule cannot see.
_ASCII_DIGITS = re.compile(r"[0-9]+")


def is_ascii_digits(value: str) -> bool:
    return bool(value) and _ASCII_DIGITS.fullmatch(value) is not None


def looks_like_identity_number(value) -> bool:
    """Whether what someone typed is a whole NIK or No. KK (separators allowed)."""
    digits = normalize_identity_number(value)
    return len(digits) == IDENTITY_NUMBER_LENGTH and is_ascii_digits(digits)


def mask(value: str) -> str:
    """Hide a NIK or No. KK: 1872011004850003 -> 1872**********03.

    Only the regency code (the first four digits, the same for everyone in Kota Metro) and the last
    two digits show: six digits in all, none of the birth date in digits 7-12, so the birth date
    and sex shown beside a masked number do not narrow it down.
    """
    if not value:
        return ""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


# A NIK or No. KK as a page may write it: 16 digits, whole or in groups of four (1872 0110 0485
# 0003, 1872.0110.0485.0003, 1872-0110-0485-0003), not part of a longer run of digits nor the
# decimals of a number (a map's coordinate: -5.1126000000000005).
_NUMBER_ON_A_PAGE = re.compile(
    r"(?<![0-9])(?<![0-9][.,])"
    r"[0-9]{2}(?:[0-9]{14}|[0-9]{2}([ .\-])[0-9]{4}\1[0-9]{4}\1[0-9]{4})(?![0-9])"
)


def _mask_found(match) -> str:
    found = match.group(0)
    if found[:2] not in PROVINCE_CODES:
        return found  # not an identity number: every NIK and No. KK opens with a province
    separator = match.group(1)
    if separator is None:
        return mask(found)
    return separator.join(part for part in re.findall(".{4}", mask(found.replace(separator, ""))))


def mask_in_text(text: str) -> str:
    """Mask every NIK or No. KK written in a page or a message, whole or grouped."""
    return _NUMBER_ON_A_PAGE.sub(_mask_found, text)


def shown(user, value: str) -> str:
    """Return the number as this user may see it."""
    return value if may_see_full_numbers(user) else mask(value)


@dataclass(frozen=True)
class NikBirth:
    """The birth date and sex encoded in positions 7-12 of a NIK."""

    day: int
    month: int
    year_two_digits: int
    is_female: bool

    def matches(self, birth_date: datetime.date) -> bool:
        return (
            self.day == birth_date.day
            and self.month == birth_date.month
            and self.year_two_digits == birth_date.year % 100
        )

    def display(self) -> str:
        return f"{self.day:02d}-{self.month:02d}-{self.year_two_digits:02d}"

    def likely_date(self, today: datetime.date) -> datetime.date | None:
        """The birth date in the century that makes it past: "85" is 1985, "05" is 2005."""
        for year in (2000 + self.year_two_digits, 1900 + self.year_two_digits):
            try:
                day = datetime.date(year, self.month, self.day)
            except ValueError:
                continue
            if day <= today:
                return day
        return None


def nik_birth(nik: str) -> NikBirth | None:
    """Decode the birth part of a 16-digit NIK, or return None when it is not a real date."""
    encoded_day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_female = encoded_day > FEMALE_DAY_OFFSET
    day = encoded_day - FEMALE_DAY_OFFSET if is_female else encoded_day
    # The century is not in the NIK; the date is real if it exists in either century
    # (29 February 2000 exists, 29 February 1900 does not).
    for century in (1900, 2000):
        try:
            datetime.date(century + year, month, day)
        except ValueError:
            continue
        return NikBirth(day=day, month=month, year_two_digits=year, is_female=is_female)
    return None


def _validate_digits_and_length(value: str, label: str, code_prefix: str) -> None:
    if not is_ascii_digits(value):
        raise ValidationError(
            _("%(label)s may contain digits only; remove letters and other characters."),
            code=f"{code_prefix}_not_digits",
            params={"label": label},
        )
    if len(value) != IDENTITY_NUMBER_LENGTH:
        raise ValidationError(
            _("%(label)s must be 16 digits; %(length)d digits were entered."),
            code=f"{code_prefix}_length",
            params={"label": label, "length": len(value)},
        )


def _validate_province(value: str, label: str, code_prefix: str) -> None:
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _(
                "The first two digits of the %(label)s (%(code)s) are not an Indonesian province "
                "code. Check the number on the card."
            ),
            code=f"{code_prefix}_province",
            params={"label": label, "code": value[:2]},
        )


def validate_nik(value: str) -> None:
    """Refuse a NIK that cannot be real: wrong length, unknown province, impossible date, 0000."""
    label = "NIK"
    _validate_digits_and_length(value, label, "nik")
    _validate_province(value, label, "nik")
    if nik_birth(value) is None:
        raise ValidationError(
            _(
                "Digits 7 to 12 of the NIK (%(part)s) are not a real birth date (DDMMYY; women "
                "add 40 to the day). Check the NIK on the KTP."
            ),
            code="nik_birth_date",
            params={"part": value[6:12]},
        )
    if value[12:] == "0000":
        raise ValidationError(
            _("The last four digits of the NIK (the serial number) cannot be 0000."),
            code="nik_serial",
        )


def validate_kk(value: str) -> None:
    """Refuse a family-card number that is not 16 digits with a province code."""
    label = "No. KK"
    _validate_digits_and_length(value, label, "kk")
    _validate_province(value, label, "kk")


def nik_agreement_errors(nik: str, birth_date, is_female: bool | None) -> list[ValidationError]:
    """Return the ways the NIK disagrees with the recorded birth date and sex."""
    birth = nik_birth(nik) if len(nik) == IDENTITY_NUMBER_LENGTH and is_ascii_digits(nik) else None
    if birth is None:
        return []
    errors = []
    if birth_date is not None and not birth.matches(birth_date):
        errors.append(
            ValidationError(
                _(
                    "The NIK gives the birth date %(nik_date)s (DD-MM-YY) but the birth date "
                    "entered is %(entered)s. Correct the NIK or the birth date."
                ),
                code="nik_birth_date_mismatch",
                params={"nik_date": birth.display(), "entered": birth_date.strftime("%d-%m-%Y")},
            )
        )
    if is_female is not None and birth.is_female != is_female:
        message = (
            _(
                "The NIK is a woman's (40 is added to the day of birth) but the sex entered is "
                "male. Correct the NIK or the sex."
            )
            if birth.is_female
            else _(
                "The NIK is a man's (the day of birth is not increased by 40) but the sex "
                "entered is female. Correct the NIK or the sex."
            )
        )
        errors.append(ValidationError(message, code="nik_sex_mismatch"))
    return errors


def validate_person_name(value: str) -> None:
    """A person's name starts with a letter: "=HYPERLINK(…)", "+SUM(1)" or "@SUM(1)" is not a
    name but a formula a spreadsheet would run, and "123" is not a name either."""
    text = (value or "").strip()
    if text and not text[0].isalpha():
        raise ValidationError(
            _("A name starts with a letter; %(value)s does not. Write the person's name."),
            code="name_not_a_name",
            params={"value": text[:40]},
        )
