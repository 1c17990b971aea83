from django.urls import path

from vidora.app.cameos import views

app_name = "cameos"
urlpatterns = [
    path("", views.home, name="home"),
    path("record/", views.record, name="record"),
    path("character/", views.character, name="character"),
    path("@<str:handle>/", views.detail, name="detail"),
    path("@<str:handle>/card/", views.card, name="card"),
    path("@<str:handle>/revoke/", views.revoke, name="revoke"),
    path("@<str:handle>/restore/", views.restore, name="restore"),
    path("@<str:handle>/delete/", views.delete, name="delete"),
    path("@<str:handle>/reference.png", views.reference, name="reference"),
    path("@<str:handle>/uses/<str:generation_id>/remove/", views.remove, name="remove"),
]
