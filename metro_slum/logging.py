"""Logging filters that keep identity numbers out of log files."""

import logging
import re

# Ten or more digits, alone or split by spaces, dots or plus signs (also URL-encoded), as a NIK or
# No. KK is typed into a search box or sent in a URL; a 15-digit prefix is caught too. Dates and
# times (dashes, colons) and IP addresses stay readable.
# Typed with dashes, slashes, underscores or commas instead (1872-0126-0469-6001), a number is
# caught when those alone split it: a date (2026-12-01, 01/12/2026) has too few digits, and one
# followed by a time (2026-12-01 22:30) mixes in a space.
_SEPARATOR = re.compile(r"([ .+\-/_,]|%20|%2[BbEeDdFfCc]|%5[Ff])")
_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9](?:(?:[ .+]|%20|%2[BbEe])?[0-9]){9,}(?![0-9])")
_NUMBER_WITH_DASHES = re.compile(
    r"(?<![0-9])[0-9](?:(?:[\-/_,]|%2[DdFfCc]|%5[Ff])?[0-9]){9,}(?![0-9])"
)
_KEPT_DIGITS = 4


def _hide(match) -> str:
    kept, out = 0, []
    for part in _SEPARATOR.split(match.group(0)):
        if _SEPARATOR.fullmatch(part):
            out.append(part)
            continue
        show = max(0, _KEPT_DIGITS - kept)
        out.append(part[:show] + "*" * max(0, len(part) - show))
        kept += len(part)
    return "".join(out)


def redact(text: str) -> str:
    """Mask every identity number in a text: only its first four digits stay."""
    return _NUMBER_WITH_DASHES.sub(_hide, _NUMBER_IN_TEXT.sub(_hide, text))


class RedactIdentityNumbers(logging.Filter):
    """Mask NIK and No. KK in every record, before any handler (Django's, gunicorn's) writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
