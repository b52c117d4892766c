"""ASGI entry point for the Metro slum-area programme application."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metro_slum.settings")

application = get_asgi_application()
