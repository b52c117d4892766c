"""The periods a DTSEN reading is seen in: a view of the reading's as-of date.

A reading is keyed by the date of the list (or the check) it came from. BPS re-ranks on its own
cycle, which the office sets (participants.DtsenSetting: monthly, quarterly, half-yearly or
yearly); a period is one such cycle of the calendar, written "2026-09", "2026-Q3", "2026-S2" or
"2026". A reading counts as current while its period is one of the latest few (the office's
setting too); an older one is stale and asks for re-checking.
"""

import datetime

MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY = 1, 3, 6, 12
CYCLES = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)


def period_index(day: datetime.date, months: int) -> int:
    """The number of whole cycles of `months` months from year 0 to the period holding `day`."""
    return (day.year * 12 + day.month - 1) // months


def period_start(index: int, months: int) -> datetime.date:
    first_month = index * months
    return datetime.date(first_month // 12, first_month % 12 + 1, 1)


def period_label(day: datetime.date, months: int) -> str:
    """The period holding `day`: "2026-09" (monthly), "2026-Q3", "2026-S2" or "2026"."""
    number = (day.month - 1) // months + 1
    if months == MONTHLY:
        return f"{day.year}-{day.month:02d}"
    if months == QUARTERLY:
        return f"{day.year}-Q{number}"
    if months == HALF_YEARLY:
        return f"{day.year}-S{number}"
    return str(day.year)


def current_since(today: datetime.date, months: int, cycles: int) -> datetime.date:
    """The first day whose readings still count as current: the start of the oldest of the
    latest `cycles` periods, today's included."""
    return period_start(period_index(today, months) - cycles + 1, months)
