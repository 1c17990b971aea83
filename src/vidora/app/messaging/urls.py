from django.urls import path

from vidora.app.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("@<str:handle>/", views.thread, name="thread"),
    path("share/<str:post_id>/", views.share, name="share"),
]
