"""WSGI entry point for the Metro slum-area programme application."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metro_slum.settings")

application = get_wsgi_application()

# What is loaded by now (settings, apps, models, admin: about 90,000 objects) lives as long as the
# process. Kept out of the garbage collector's full passes, which otherwise stop a request for
# 40–65 ms every few requests (8–15 ms after; measured with `bench_pages`, docs/deploy.md §7).
gc.freeze()
