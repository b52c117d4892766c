"""One cell of a list to one value, repairing what can be repaired and refusing what Excel broke.

Each parser returns the value or raises ValueError with the message the clerk reads.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from metro_slum.formatting import normalize_identity_number
from metro_slum.spreadsheets.layout import header_key

_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y")


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    # Our own exports disarm formulas with a leading quote; take it off again on the way back.
    if result.startswith("'") and result[1:2] in ("=", "+", "-", "@"):
        result = result[1:]
    return result


def identity(value, label: str) -> str:
    """Return the 16 digits of a NIK/KK cell; refuse how Excel damaged it, saying so."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(
            _(
                "%(label)s is stored as a number (%(shown)s); Excel keeps only 15 digits of a "
                "number, so the last digits of the %(label)s may be lost. Format the %(label)s "
                "column as Text, then type the %(label)s again from the card."
            )
            % {"label": label, "shown": f"{float(value):.5E}"}
        )
    written = text(value)
    if _SCIENTIFIC.match(written):
        raise ValueError(
            _(
                "%(label)s reads %(value)s: Excel turned it into a number and its last digits are "
                "lost. Format the %(label)s column as Text, then type the %(label)s again from "
                "the card."
            )
            % {"label": label, "value": written}
        )
    if written.endswith(".0") and written[:-2].isdigit():
        raise ValueError(
            _(
                "%(label)s ends in .0: the column was once stored as numbers. Format the "
                "%(label)s column as Text, then type the %(label)s again from the card."
            )
            % {"label": label}
        )
    if "*" in written:
        raise ValueError(
            _("%(label)s is masked (it holds *). Import only from a list with full numbers.")
            % {"label": label}
        )
    return normalize_identity_number(written)


def date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    written = text(value)
    if not written:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(written, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Date not recognised; write it as DD/MM/YYYY, for example 17/08/1985."))


def money(value):
    if value in (None, ""):
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(value).quantize(Decimal(1))
    digits = re.sub(r"[^\d]", "", str(value))
    if not digits:
        raise ValueError(_("Write an amount in rupiah, for example 750000."))
    return Decimal(digits)


def whole(value):
    if value in (None, ""):
        return None
    try:
        return int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(_("Write a whole number.")) from exc


def choice(value, keys: dict, hint: str):
    """The value a clerk's word stands for (L, Perempuan, Belum dicek...), or the hint."""
    found = keys.get(header_key(value))
    if found is None:
        raise ValueError(hint)
    return found
