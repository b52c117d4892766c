"""Calendar quarters, the period a DTSEN rank applies to: written "2026-Q3" everywhere.

The ranks are updated each quarter, so a rank is read with its quarter; one older than
``settings.DTSEN_CURRENT_QUARTERS`` quarters is stale and asks for re-checking.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# "2026-Q3", "2026 Q3", "2026Q3", "Q3 2026", "Q3-2026", "TW3 2026", "Triwulan 3 2026", "2026/3".
_YEAR_FIRST = re.compile(r"^(?P<year>\d{4})\s*[-/ ]?\s*(?:Q|TW|TRIWULAN)?\s*(?P<quarter>[1-4])$")
_QUARTER_FIRST = re.compile(r"^(?:Q|TW|TRIWULAN)\s*(?P<quarter>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})$")
QUARTER_PATTERN = r"^\d{4}-Q[1-4]$"


def parse_quarter(text) -> str:
    """Return the quarter a clerk wrote as "YYYY-Qn", or raise ValidationError saying how to
    write it."""
    value = re.sub(r"\s+", " ", str(text or "").strip().upper())
    match = _YEAR_FIRST.match(value) or _QUARTER_FIRST.match(value)
    if match is None or not 2000 <= int(match["year"]) <= 2100:
        raise ValidationError(
            _("'%(value)s' is not a quarter: write the year and the quarter, e.g. 2026-Q3."),
            code="quarter_format",
            params={"value": str(text or "").strip()},
        )
    return f"{match['year']}-Q{match['quarter']}"


def validate_quarter(value: str) -> None:
    if parse_quarter(value) != value:
        raise ValidationError(
            _("Write the quarter as the year and the quarter, e.g. 2026-Q3."),
            code="quarter_format",
        )


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _index(quarter: str) -> int:
    year, number = quarter.split("-Q")
    return int(year) * 4 + int(number) - 1


def quarters_between(earlier: str, later: str) -> int:
    return _index(later) - _index(earlier)


def previous_quarter(quarter: str, count: int = 1) -> str:
    index = _index(quarter) - count
    return f"{index // 4}-Q{index % 4 + 1}"


def is_stale(quarter: str, today: datetime.date | None = None) -> bool:
    """Whether a rank of this quarter is too old to count as current."""
    today = today or timezone.localdate()
    return quarters_between(quarter, quarter_of(today)) >= settings.DTSEN_CURRENT_QUARTERS


def oldest_current_quarter(today: datetime.date | None = None) -> str:
    """The oldest quarter whose ranks still count as current."""
    today = today or timezone.localdate()
    return previous_quarter(quarter_of(today), settings.DTSEN_CURRENT_QUARTERS - 1)
