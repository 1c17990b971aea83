from django.urls import path

from vidora.app.studio import views

app_name = "studio"
urlpatterns = [
    path("", views.home, name="home"),
    path("<str:generation_id>/status/", views.status, name="status"),
    path("<str:generation_id>/<str:variant>", views.content, name="content"),
    path("<str:generation_id>/extend/", views.extend, name="extend"),
    path("<str:generation_id>/delete/", views.delete, name="delete"),
]
