"""How amounts and identity numbers are shown to people."""

from decimal import Decimal


def rupiah(value) -> str:
    """Return an amount in the Indonesian way: Rp 20.000.000 (dots between thousands)."""
    if value is None or value == "":
        return "–"
    amount = int(Decimal(value).to_integral_value())
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")
