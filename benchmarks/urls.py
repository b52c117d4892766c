"""The project's URLs and, beside them, the reference admin (benchmark only)."""

from django.urls import path

from benchmarks.reference import site
from metro_slum.urls import urlpatterns as project

urlpatterns = [path("reference-admin/", site.urls), *project]
