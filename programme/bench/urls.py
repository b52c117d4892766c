"""The project's URLs and, beside them, the reference admin (benchmark only)."""

from django.urls import path

from metro_slum.urls import urlpatterns as project
from programme.bench.reference import site

urlpatterns = [path("reference-admin/", site.urls), *project]
