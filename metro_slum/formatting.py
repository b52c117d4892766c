"""How amounts and identity numbers are shown to people, and read back from what they typed."""

import re
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

# What people put between the digits of a number to read it: spaces, dots, dashes, slashes.
_SEPARATORS = re.compile(r"[\s.\-/]")


def rupiah(value) -> str:
    """Return an amount in the Indonesian way: Rp 20.000.000 (dots between thousands)."""
    if value is None or value == "":
        return "–"
    amount = int(Decimal(value).to_integral_value())
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


def quantity(value) -> str:
    """Return a count the Indonesian way, without empty decimals: 2.000, 3, 1,5."""
    if value is None or value == "":
        return "–"
    number = Decimal(value)
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = f"{int(whole):,}".replace(",", ".") + (f",{fraction}" if fraction else "")
    return ("-" if number < 0 else "") + text


def rupiah_short(value) -> str:
    """Return an amount in few characters for a chart's axis: 2,4 jt, 750 rb, 0."""
    amount = int(Decimal(value or 0).to_integral_value())
    for size, unit in ((10**9, _("bn")), (10**6, _("m")), (10**3, _("k"))):
        if abs(amount) >= size:
            number = formats.number_format(round(amount / size, 1), 1)
            return f"{number.removesuffix('0').rstrip('.,')} {unit}"
    return str(amount)


def normalize_identity_number(value) -> str:
    """Return the number as typed, less the spaces, dots and dashes people put in to read it.

    The one normalisation of every identifier-like field: NIK, No. KK, phone, bank account.
    """
    if value is None:
        return ""
    return _SEPARATORS.sub("", str(value))
