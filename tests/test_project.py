"""Project-wide behaviour: start-up settings, logs without identity numbers, the translations."""

import os
import subprocess
import sys
from pathlib import Path

import polib

from metro_slum.formatting import rupiah

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES"


def run_python(code, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(DJANGO_SETTINGS_MODULE="metro_slum.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_without_environment_the_project_runs_on_sqlite_with_debug_on():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "id",
        "Asia/Jakarta",
    ]


def test_debug_off_without_a_secret_key_stops_with_a_clear_message():
    result = run_python("import django; django.setup()", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_postgres_database_url_selects_postgresql():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])",
        DATABASE_URL="postgres://metro:secret@db.example:5433/metro_slum",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="dinsos.metrokota.go.id",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.example",
        "5433",
        "metro_slum",
    ]


def test_a_nonsense_boolean_in_the_environment_is_refused():
    result = run_python("import django; django.setup()", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_request_logs_never_carry_a_full_nik():
    result = run_python(
        "import django, logging; django.setup(); "
        "logging.getLogger('django.server').info('\"GET /admin/?q=%s HTTP/1.1\" 200', "
        "'1872011208850003')"
    )
    assert result.returncode == 0, result.stderr
    assert "1872011208850003" not in result.stderr
    assert "q=1872************" in result.stderr


def test_rupiah_is_written_with_dots_between_thousands():
    assert rupiah(20_000_000) == "Rp 20.000.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(None) == "–"


def test_indonesian_catalogue_translates_every_message():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {entry.msgid: entry.msgstr for entry in mo if entry.msgid}
    assert compiled == {entry.msgid: entry.msgstr for entry in po.translated_entries()}, (
        "run `make messages` to recompile locale/id/LC_MESSAGES/django.mo"
    )


def test_translatable_text_is_marked_the_way_makemessages_finds_it():
    """`makemessages` only finds the gettext functions under their names or as `_`: text marked
    with another alias would silently stay English on Indonesian pages."""
    import re

    aliased = re.compile(r"from django\.utils\.translation import .*\b(\w*gettext\w*) as (\w+)")
    wrong = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = aliased.search(line)
            if match and match.group(2) != "_":
                wrong.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert wrong == []
