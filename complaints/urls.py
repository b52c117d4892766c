from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    # Public: no login.
    path("pengaduan/", views.public, name="public"),
    path("pengaduan/terkirim/", views.receipt, name="receipt"),
    path("pengaduan/cek/", views.status, name="status"),
    # The office.
    path("pengaduan/daftar/", views.complaint_list, name="list"),
    path("pengaduan/baru/", views.complaint_create, name="create"),
    path("pengaduan/<int:pk>/", views.complaint_detail, name="detail"),
    path("pengaduan/lampiran/<int:pk>/", views.attachment, name="attachment"),
    path("verifikasi-pembayaran/<int:pk>/", views.verification, name="verification"),
]
