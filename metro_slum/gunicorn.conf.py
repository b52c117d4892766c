"""Gunicorn settings for `make serve` and the systemd unit in docs/deploy.md."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
errorlog = "-"
# Request lines carry search terms: masked before they are written (metro_slum/logging.py).
logger_class = "metro_slum.gunicorn_logging.RedactingLogger"
# nginx on the same machine sets X-Forwarded-Proto; trust it from there only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
