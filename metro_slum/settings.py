"""Settings for the Metro slum-area programme application.

Everything that differs between a laptop and the office server comes from the environment. With
nothing set, the project runs locally on SQLite with DEBUG on.
"""

import datetime
import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from metro_slum.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off a secret key is required: "
            "set DJANGO_SECRET_KEY to a long random string."
        )
    SECRET_KEY = "insecure-local-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin, on the office's site (metro_slum/admin_site.py).
    "metro_slum.apps.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "axes",
    "simple_history",
    "solo",
    "csp",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    "metro_slum",
    "participants",
    "assessments",
    "grants",
    "families",
    "complaints",
    "slums",
    "programme",
]
# The benchmarks' tools (benchmarks/): for development, the tests and the benchmark scripts only.
if env_bool("DJANGO_BENCHMARKS", DEBUG):
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app, compressed and with far-future caching (see STORAGES).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "metro_slum.middleware.LanguageMiddleware",
    "metro_slum.middleware.RequestSizeLimit",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "metro_slum.middleware.SessionIdleTimeout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "metro_slum.middleware.PrivatePagesNotStored",
    "metro_slum.middleware.PermissionsPolicy",
    # After authentication: NIK and No. KK masked in every answer to whoever sees them masked.
    "participants.middleware.IdentityNumbersMasked",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# Where each request's time goes, in a Server-Timing header (the load benchmark reads it). Off on
# the office's server: it tells a visitor how long the database took.
SERVER_TIMING = env_bool("DJANGO_SERVER_TIMING", False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "metro_slum.middleware.ServerTiming")

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/IP before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "metro_slum.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "metro_slum.context_processors.unread_notices",
            ],
        },
    },
]

WSGI_APPLICATION = "metro_slum.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if SQLITE:
    # Several requests writing at once (the demo server's threads, the scheduler beside it):
    # readers never wait for the writer (WAL), a writer waits up to 20 s for another rather than
    # failing, and takes the write lock as its transaction begins, so that two transactions
    # never both read and then both wait to write ("database is locked").
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Production runs on PostgreSQL: `check --deploy` refuses SQLite unless the operator says that
# this is a trial with one gunicorn worker (which gunicorn.conf.py then starts alone).
SQLITE_ONE_WORKER = env_bool("DJANGO_SQLITE_ONE_WORKER", False)
# A read replica (streaming replication of the primary) for reports and exports: see
# metro_slum/replica.py and docs/deploy.md "Scaling out".
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
REPLICA_READS = "replica" in DATABASES
DATABASE_ROUTERS = ["metro_slum.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day-first dates in both languages (metro_slum/formats/).
FORMAT_MODULE_PATH = ["metro_slum.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# One import at most this large and this long; a refusal says so (split the list by kelurahan).
IMPORT_MAX_FILE_MB = env_int("DJANGO_IMPORT_MAX_FILE_MB", 10)
IMPORT_MAX_ROWS = env_int("DJANGO_IMPORT_MAX_ROWS", 20_000)
# Above this many groups a programme's report is offered kelurahan by kelurahan.
REPORT_GROUPS_AT_ONCE = env_int("DJANGO_REPORT_GROUPS_AT_ONCE", 2_000)
# A printed report of more groups than this comes in parts of this many (about six A4 pages);
# its Excel download holds them all.
REPORT_GROUPS_PER_PART = env_int("DJANGO_REPORT_GROUPS_PER_PART", 250)
# The office's own settings (participants.DtsenSetting: the DTSEN cycle, who signs) are read
# through this cache: a change made in admin reaches every app server within a minute.
SOLO_CACHE = "default"
SOLO_CACHE_TIMEOUT = 60

# The public complaint form (/pengaduan/) is the one page anyone may post to: how many complaints
# one address may send (django-ratelimit's "count/period"), and how many status look-ups (a
# number and check code guessed over and over is refused after this).
COMPLAINT_RATE = env_str("DJANGO_COMPLAINT_RATE", "5/h")
COMPLAINT_CHECK_RATE = env_str("DJANGO_COMPLAINT_CHECK_RATE", "30/h")
# The office's public address, printed under the QR code on the handover minutes and the groups'
# documents (https://dinsos.metrokota.go.id); by default the address the page was opened at.
PUBLIC_SITE_URL = env_str("DJANGO_PUBLIC_SITE_URL", "")

# Background work (sending e-mail and messages, digests, deadline checks, housekeeping) runs as
# tasks of Django's task framework (the django-tasks backport). "immediate" runs each task at once,
# after the transaction that asked for it commits (the demo, the tests); "database" stores it for
# `make worker` (manage.py db_worker) to run, which the office's server does.
TASKS_BACKEND = env_str("DJANGO_TASKS_BACKEND", "immediate" if DEBUG else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}

# Payment verification after each tranche: every member of the group is asked while the
# programme has at most this many members paid; beyond, a random sample sized for this confidence
# level and margin of error (percent) over the programme, shared among its groups.
VERIFICATION_ASK_ALL_UP_TO = env_int("DJANGO_VERIFICATION_ASK_ALL_UP_TO", 200)
VERIFICATION_CONFIDENCE = env_int("DJANGO_VERIFICATION_CONFIDENCE", 95)
VERIFICATION_MARGIN = env_int("DJANGO_VERIFICATION_MARGIN", 10)

# The slum map (slums/): RT boundaries loaded from GeoJSON must lie inside Kota Metro (west,
# south, east, north in degrees); a file is at most this large. No map tiles are fetched unless a
# tile server is named (e.g. the city's own, or https://tile.openstreetmap.org/{z}/{x}/{y}.png
# with its attribution): the boundaries are drawn on a plain background.
METRO_EXTENT = (105.22, -5.19, 105.40, -5.03)
BOUNDARY_MAX_BYTES = env_int("DJANGO_BOUNDARY_MAX_BYTES", 5_000_000)
BOUNDARY_MAX_FEATURES = 2000
BOUNDARY_MAX_VERTICES = 20_000
MAP_TILE_URL = env_str("DJANGO_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("DJANGO_MAP_TILE_ATTRIBUTION", "")

# Participants whose programmes ended longer ago than this are anonymised (docs/privasi.md), by the
# scheduler once a month.
RETENTION_YEARS = env_int("DJANGO_RETENTION_YEARS", 5)

# E-mail to staff (notices): Django's SMTP backend configured from the environment; while
# debugging, printed to the console instead.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str(
    "DJANGO_DEFAULT_FROM_EMAIL", "Dinas Sosial Kota Metro <noreply@localhost>"
)

# Messages to participants (SMS or WhatsApp) through a gateway, like Django's e-mail backends:
# "metro_slum.messaging.DatabaseBackend" records them only (the demo, the tests);
# "metro_slum.messaging.HttpBackend" posts each to DJANGO_MESSAGE_GATEWAY_URL with the token and
# sender. A failed send is tried again after 1, 2, 4, 8 minutes..., then marked failed.
MESSAGE_BACKEND = env_str("DJANGO_MESSAGE_BACKEND", "metro_slum.messaging.DatabaseBackend")
MESSAGE_GATEWAY_URL = env_str("DJANGO_MESSAGE_GATEWAY_URL", "")
MESSAGE_GATEWAY_TOKEN = env_str("DJANGO_MESSAGE_GATEWAY_TOKEN", "")
MESSAGE_GATEWAY_SENDER = env_str("DJANGO_MESSAGE_GATEWAY_SENDER", "DINSOS METRO")
MESSAGE_GATEWAY_TIMEOUT = env_int("DJANGO_MESSAGE_GATEWAY_TIMEOUT", 10)
MESSAGE_MAX_ATTEMPTS = env_int("DJANGO_MESSAGE_MAX_ATTEMPTS", 5)
MESSAGE_RETRY_SECONDS = env_int("DJANGO_MESSAGE_RETRY_SECONDS", 60)

# Caches: the default one per process; the rate limits' one shared by every worker and app server.
# By default that is a table in the database (`createcachetable`, run by `make demo` and
# `make serve`): shared without another service. Its increments are not atomic, so a burst from
# one address across several workers at the same instant may pass a few posts over the limit;
# DJANGO_RATELIMIT_CACHE_URL (redis://… or memcached host:port) gives an atomic counter instead.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "metro_rate_limits",
    },
}
_RATELIMIT_CACHE_URL = env_str("DJANGO_RATELIMIT_CACHE_URL", "")
if _RATELIMIT_CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _RATELIMIT_CACHE_URL,
    }
elif _RATELIMIT_CACHE_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": _RATELIMIT_CACHE_URL,
    }
RATELIMIT_USE_CACHE = "ratelimit"
# The visitor's address as the login lockout reads it (metro_slum/client.py).
RATELIMIT_IP_META_KEY = "metro_slum.client.client_address"
# django-ratelimit knows only third-party Redis and Memcached backends: its checks call the
# database table "not atomic" (accepted above, with the reason) and Django's own Redis backend
# "not supported" (it increments atomically).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploaded documents (proposals, receipts, photos, evidence) go through Django's storage API: the
# local folder MEDIA_ROOT on one server, or, for several app servers, an S3-compatible object
# store shared by all (DJANGO_DOCUMENTS_S3_BUCKET; credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY). Documents stay private: the app reads them and serves them itself,
# only to those allowed, never by a link to the store.
DOCUMENTS_S3_BUCKET = env_str("DJANGO_DOCUMENTS_S3_BUCKET")
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": env_str("DJANGO_DOCUMENTS_S3_ENDPOINT") or None,
            "region_name": env_str("DJANGO_DOCUMENTS_S3_REGION") or None,
            "location": env_str("DJANGO_DOCUMENTS_S3_PREFIX", "dokumen"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if DOCUMENTS_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cache-busting), gzip and brotli copies; needs collectstatic: not when debugging.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded documents and import files: readable by the app's user and its group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# A request body larger than this is refused before it is read (uploads are at most 5 MB; the
# proxy in front refuses larger bodies too, see docs/deploy.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# The whole body of one request (an Excel list to import is the largest thing sent).
MAX_REQUEST_BODY_SIZE = env_int("DJANGO_MAX_REQUEST_BODY_MB", 20) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# HTTPS: behind a TLS proxy (nginx) that sets X-Forwarded-Proto. /health/ stays plain HTTP for the
# load balancer's checks.
if env_bool("DJANGO_BEHIND_TLS_PROXY", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: only this site's scripts and styles (no inline script or style
# anywhere: the project's pages and admin additions use classes from static/css), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if MAP_TILE_URL:
    # The tile server named above, and no other, may serve the map's pictures.
    _tiles = urlsplit(MAP_TILE_URL.replace("{s}", "*"))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# History is read, never restored: records change only through the services.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()"
# A session ends after 30 minutes without a request (metro_slum.middleware.SessionIdleTimeout
# refreshes its expiry at most once a minute), and when the browser closes: phones are lost and
# office computers shared.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The pages a social worker's phone keeps to read offline are deleted after this many days
# without a connection to the office (static/js/offline.js).
OFFLINE_KEEP_DAYS = env_int("DJANGO_OFFLINE_KEEP_DAYS", 7)

# Password guessing: after 5 wrong passwords for one username from one address, that pair is
# locked out for 15 minutes, at /masuk/ and /admin/login/ alike; every failure is recorded.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# The visitor's address, one rule for this lockout, the public form's limits and the logs
# (metro_slum/client.py): the connecting address, or, when that is one of the trusted proxies
# (DJANGO_TRUSTED_PROXIES: nginx on this machine by default), the address the nearest of the
# DJANGO_PROXY_COUNT proxies in front wrote last into X-Forwarded-For. 0 proxies: the header is
# never read.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an address or a network (10.0.0.0/8)"
        ) from None
AXES_CLIENT_IP_CALLABLE = "metro_slum.client.client_address"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_identity_numbers": {"()": "metro_slum.logging.RedactIdentityNumbers"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_identity_numbers"]},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own loggers propagate to the root handler above, so the filter covers them.
        "django": {"handlers": [], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
