from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("kelompok/<int:group_pk>/asesmen/", views.assessment, name="assessment"),
    path(
        "kelompok/<int:group_pk>/asesmen/tinjau/",
        views.assessment_review,
        name="assessment_review",
    ),
    path("kelompok/<int:group_pk>/rencana/", views.plan, name="plan"),
    path("kelompok/<int:group_pk>/rencana/tinjau/", views.plan_review, name="plan_review"),
]
