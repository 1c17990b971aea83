from django.urls import path

from vidora.app.parental import views

app_name = "parental"
urlpatterns = [
    path("", views.family, name="family"),
    path("code/", views.make_code, name="make_code"),
    path("link/", views.link, name="link"),
    path("@<str:handle>/", views.controls, name="controls"),
    path("@<str:handle>/unlink/", views.unlink, name="unlink"),
]
