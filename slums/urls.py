from django.urls import path

from slums import views

app_name = "slums"

urlpatterns = [
    path("kumuh/", views.index, name="index"),
    path("kumuh/batas/", views.boundaries, name="boundaries"),
    path("kumuh/laporan/", views.report, name="report"),
    path("kumuh/rt/<int:pk>/", views.rt, name="rt"),
    path("kumuh/rt/<int:pk>/survei-baru/", views.survey_new, name="survey_new"),
    path("kumuh/survei/<int:pk>/", views.survey, name="survey"),
    path("kumuh/survei/<int:pk>/total/", views.survey_totals, name="survey_totals"),
    path("kumuh/survei/<int:pk>/<slug:code>/", views.answer, name="answer"),
    path("kumuh/foto/<int:pk>/", views.photo, name="photo"),
    path("kumuh/<slug:code>/", views.place, name="place"),
]
