"""The private folder where an uploaded list waits between the preview and the confirmation.

The file sits there under a random name (see participants.resources.PrivateTempStorage) and is
deleted when the import is confirmed or refused; files of abandoned imports are removed by
`manage.py cleanup_imports`, which can be scheduled.
"""

import time
from pathlib import Path

from django.conf import settings


def folder() -> Path:
    path = Path(settings.IMPORT_TEMP_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def remove_older_than(hours: float) -> int:
    cutoff = time.time() - hours * 3600
    removed = 0
    for path in folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            removed += 1
    return removed
