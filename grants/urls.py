from django.urls import path

from grants import views

app_name = "grants"

urlpatterns = [
    path("kelompok/<int:group_pk>/bantuan/", views.grant_page, name="grant"),
    path("kelompok/<int:group_pk>/bantuan/kirim/", views.grant_submit, name="submit"),
    path("kelompok/<int:group_pk>/bantuan/langkah/<slug:step>/", views.grant_decide, name="decide"),
    path("kelompok/<int:group_pk>/bantuan/dokumen/", views.document_upload, name="upload"),
    path("kelompok/<int:group_pk>/bantuan/lpj/", views.spending_add, name="spending"),
    path("kelompok/<int:group_pk>/bantuan/monitoring/", views.visit_add, name="visit"),
    path(
        "kelompok/<int:group_pk>/bantuan/monitoring/<int:pk>/ubah/",
        views.visit_edit,
        name="visit_edit",
    ),
    path("bantuan/dokumen/<int:pk>/", views.document_download, name="document"),
    path("bantuan/pencairan/<int:pk>/berita-acara/", views.handover, name="handover"),
]
