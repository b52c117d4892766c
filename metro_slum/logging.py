"""Logging filters that keep identity numbers out of log files."""

import logging
import re

# NIK and No. KK are 16 digits; a run of 16 digits in a log line (a search query in a request
# line, a value in an error message) is masked before any handler writes it.
_IDENTITY_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{10}(?!\d)")


def redact(text: str) -> str:
    return _IDENTITY_NUMBER.sub(r"\1**********", text)


class RedactIdentityNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
