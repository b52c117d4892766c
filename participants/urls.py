from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("kelompok/baru/", views.group_edit, name="group_create"),
    path("kelompok/<int:pk>/ubah/", views.group_edit, name="group_edit"),
    path("kelompok/<int:pk>/anggota/tambah/", views.member_add, name="member_add"),
    path(
        "kelompok/<int:pk>/anggota/<int:membership_pk>/keluarkan/",
        views.member_remove,
        name="member_remove",
    ),
    path("peserta/", views.participant_list, name="participant_list"),
    path("peserta/calon/", views.candidate_list, name="candidate_list"),
    path("usulan/<int:pk>/bnba/", views.proposal_bnba, name="proposal_bnba"),
    path("usulan/<int:pk>/berita-acara/", views.proposal_minutes, name="proposal_minutes"),
    path("usulan/<int:pk>/surat/", views.proposal_letter, name="proposal_letter"),
    path("ekspor/", views.export, name="export"),
    path("peserta/baru/", views.participant_edit, name="participant_create"),
    path("peserta/<int:pk>/ubah/", views.participant_edit, name="participant_edit"),
]
