"""Deadlines in working days: weekends and Indonesia's public holidays (from `holidays`) skipped."""

import datetime

from metro_slum.working_days import add_working_days, holiday_name, working_days_between


def test_a_deadline_skips_the_weekend():
    friday = datetime.date(2026, 11, 6)
    assert add_working_days(friday, 1) == datetime.date(2026, 11, 9)  # Monday
    assert add_working_days(friday, 5) == datetime.date(2026, 11, 13)


def test_a_deadline_skips_a_public_holiday_after_a_weekend():
    # Friday 14 August 2026; Monday the 17th is Independence Day.
    friday = datetime.date(2026, 8, 14)
    assert holiday_name(datetime.date(2026, 8, 17)) != ""
    assert add_working_days(friday, 1) == datetime.date(2026, 8, 18)
    assert add_working_days(friday, 3) == datetime.date(2026, 8, 20)


def test_the_days_between_count_only_working_days():
    assert working_days_between(datetime.date(2026, 8, 14), datetime.date(2026, 8, 20)) == 3
    assert working_days_between(datetime.date(2026, 8, 20), datetime.date(2026, 8, 14)) == 0
