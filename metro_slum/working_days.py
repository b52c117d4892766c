"""Working days as an Indonesian government office counts them: Monday to Friday, less the
national public holidays (read from the `holidays` package, never typed here)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset:
    return frozenset(holidays.country_holidays("ID", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def holiday_name(day: datetime.date) -> str:
    """The public holiday's name on that day, or ''."""
    return holidays.country_holidays("ID", years=day.year).get(day, "")


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (the start itself does not count)."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
