"""The site's hub pages, which the pages of every app link back to: the home page, a group's page
and a person's page. Their names have no namespace ("home", "group", "person"): an app below names
the site's hubs, not the app that serves them (tests/test_layers.py)."""

from django.urls import path

from programme import offline_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("kelompok/<int:pk>/", views.group, name="group"),
    path("peserta/<int:pk>/", views.person, name="person"),
    # The portal on a phone's home screen; its service worker answers for every page below "/".
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("sw.js", offline_views.service_worker, name="service_worker"),
]
