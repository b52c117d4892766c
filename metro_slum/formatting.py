"""How amounts and identity numbers are shown to people."""

from decimal import Decimal


def rupiah(value) -> str:
    """Return an amount in the Indonesian way: Rp 20.000.000 (dots between thousands)."""
    if value is None or value == "":
        return "–"
    amount = int(Decimal(value).to_integral_value())
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


def mask_identity_number(value: str) -> str:
    """Hide the middle of a NIK or No. KK: 1872011004850003 -> 1872011*******03."""
    if not value:
        return ""
    if len(value) <= 9:
        return "*" * len(value)
    return value[:7] + "*" * (len(value) - 9) + value[-2:]
