"""WSGI entry point for the Metro slum-area programme application."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metro_slum.settings")

application = get_wsgi_application()
