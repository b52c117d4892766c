"""The site's hub pages, which the pages of every app link back to: the home page, a group's page
and a person's page. Their names have no namespace ("home", "group", "person"): an app below names
the site's hubs, not the app that serves them (tests/test_layers.py)."""

from django.urls import path

from programme import views

urlpatterns = [
    path("", views.home, name="home"),
    path("kelompok/<int:pk>/", views.group, name="group"),
    path("peserta/<int:pk>/", views.person, name="person"),
]
