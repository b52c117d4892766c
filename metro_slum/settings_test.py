"""Settings for the test suite: the normal settings with a fast password hasher."""

from metro_slum.settings import *  # noqa: F403
from metro_slum.settings import DATABASES, INSTALLED_APPS

if "benchmarks" not in INSTALLED_APPS:  # the suite runs the benchmarks' tools, small
    INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "id"
# Static files are found in static/ by the finders; nothing is collected for the tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A replica alias that mirrors the test database; reads go to it only where a test turns
# REPLICA_READS on (tests/test_scale_out.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPLICA_READS = False
# Background tasks run at once, after their transaction commits; a test that needs the worker
# switches to the database backend and runs `db_worker` itself.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MESSAGE_BACKEND = "metro_slum.messaging.DatabaseBackend"
