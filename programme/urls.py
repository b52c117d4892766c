from django.urls import path

from programme import notice_views, offline_views, views

app_name = "programme"

urlpatterns = [
    path("pekerjaan/", views.work, name="work"),
    path("ringkasan/", views.head, name="head"),
    path("program/", views.dashboard, name="dashboard"),
    path("kelurahan/<slug:code>/", views.kelurahan, name="kelurahan"),
    path("peserta/<int:pk>/data-pribadi/", views.person_data, name="person_data"),
    path("laporan/", views.report_index, name="reports"),
    path("laporan/<slug:kind>/", views.report, name="report"),
    path("pemberitahuan/", notice_views.notices, name="notices"),
    path("pemberitahuan/<int:pk>/buka/", notice_views.notice_open, name="notice_open"),
    path("luring/", offline_views.offline_page, name="offline"),
    path("luring/status/", offline_views.offline_status, name="offline_status"),
    path("luring/halaman/", offline_views.offline_pages, name="offline_pages"),
    path("luring/kirim/", offline_views.offline_send, name="offline_send"),
]
