from django.urls import path

from programme import notice_views, views

app_name = "programme"

urlpatterns = [
    path("pekerjaan/", views.work, name="work"),
    path("program/", views.dashboard, name="dashboard"),
    path("kelurahan/<slug:code>/", views.kelurahan, name="kelurahan"),
    path("peserta/<int:pk>/data-pribadi/", views.person_data, name="person_data"),
    path("laporan/", views.report_index, name="reports"),
    path("laporan/<slug:kind>/", views.report, name="report"),
    path("pemberitahuan/", notice_views.notices, name="notices"),
    path("pemberitahuan/<int:pk>/buka/", notice_views.notice_open, name="notice_open"),
]
