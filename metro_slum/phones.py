"""Indonesian phone numbers as a message gateway needs them: +62 followed by the number without
its leading 0 ("0812-3456-7890" -> "+6281234567890")."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(value: str) -> str:
    """Return the number as +62…, or raise ValidationError saying how to write it."""
    digits = re.sub(r"[\s().-]", "", value or "")
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("62"):
            raise ValidationError(
                _("Only Indonesian numbers (+62…) are accepted, e.g. 0812 3456 7890."),
                code="phone_country",
            )
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.isdigit() or not digits.startswith("62") or not 10 <= len(digits) <= 15:
        raise ValidationError(
            _("Enter a phone number of 10 to 13 digits, e.g. 0812 3456 7890."), code="phone"
        )
    return "+" + digits


def mask_phone(value: str) -> str:
    """Hide a phone number but its country and operator prefix and last three digits:
    +6281234567890 -> +62812*****890."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 9) + value[-3:]


def call_link(value: str) -> str:
    """A `tel:` address for the number as stored, or "" if it is not a valid number."""
    try:
        return "tel:" + normalise_phone(value)
    except ValidationError:
        return ""
