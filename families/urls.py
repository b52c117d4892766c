from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("kelompok/<int:group_pk>/tindak-lanjut/baru/", views.follow_up_add, name="follow_up_add"),
    path("tindak-lanjut/<int:pk>/", views.follow_up, name="follow_up"),
    path("tindak-lanjut/<int:pk>/ubah/", views.follow_up_edit, name="follow_up_edit"),
    path("tindak-lanjut/<int:pk>/bukti/", views.evidence_add, name="evidence_add"),
    path("tindak-lanjut/bukti/<int:pk>/", views.evidence_download, name="evidence"),
    path("peserta/<int:pk>/bantuan/baru/", views.aid_add, name="aid_add"),
    path("peserta/<int:pk>/riwayat-keluarga/", views.family_card, name="family_card"),
    path("kelompok/<int:group_pk>/hasil/", views.outcomes, name="outcomes"),
    path(
        "kelompok/<int:group_pk>/hasil/<int:milestone>/",
        views.measurement_add,
        name="measurement_add",
    ),
]
