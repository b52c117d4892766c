"""Gunicorn settings for `make serve` and the systemd unit in docs/deploy.md."""

import os

from metro_slum.env import env_bool

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Twice the cores plus one, as gunicorn advises: a worker busy hashing a login password (PBKDF2,
# deliberately slow) leaves others free for pages.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
# A trial on SQLite (DJANGO_SQLITE_ONE_WORKER=true, see metro_slum/checks.py): one writer only.
if env_bool("DJANGO_SQLITE_ONE_WORKER", False):
    workers = 1
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
errorlog = "-"
# Request lines carry search terms: masked before they are written (metro_slum/logging.py).
logger_class = "metro_slum.gunicorn_logging.RedactingLogger"
# nginx on the same machine sets X-Forwarded-Proto; trust it from there only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
