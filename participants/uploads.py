"""Uploaded lists waiting between the preview and the confirmation, kept out of the web root.

The file sits under a random name in a private folder, its name is kept in the user's session
(never in a URL), and it is deleted when the import is confirmed or cancelled. Abandoned files are
removed by `manage.py cleanup_imports`, which can be scheduled.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "participant_import"


def folder() -> Path:
    path = Path(settings.IMPORT_TEMP_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def keep(request, uploaded) -> Path:
    token = secrets.token_hex(16)
    suffix = ".csv" if uploaded.name.lower().endswith((".csv", ".txt")) else ".xlsx"
    path = folder() / f"{token}{suffix}"
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "suffix": suffix, "name": uploaded.name}
    return path


def kept(request) -> tuple[Path, str] | None:
    entry = request.session.get(SESSION_KEY)
    if not entry:
        return None
    path = folder() / f"{entry['token']}{entry['suffix']}"
    return (path, entry["name"]) if path.exists() else None


def forget(request) -> None:
    entry = request.session.pop(SESSION_KEY, None)
    if entry:
        (folder() / f"{entry['token']}{entry['suffix']}").unlink(missing_ok=True)


def remove_older_than(hours: float) -> int:
    cutoff = time.time() - hours * 3600
    removed = 0
    for path in folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            removed += 1
    return removed
