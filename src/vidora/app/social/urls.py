from django.urls import path

from vidora.app.social import views

app_name = "social"
urlpatterns = [
    path("p/<str:post_id>/", views.post_detail, name="post"),
    path("p/<str:post_id>/view/", views.view, name="view"),
    path("p/<str:post_id>/like/", views.like, name="like"),
    path("p/<str:post_id>/comment/", views.comment, name="comment"),
    path("p/<str:post_id>/remix/", views.remix, name="remix"),
    path("publish/<str:generation_id>/", views.publish, name="publish"),
    path("notifications/", views.notifications, name="notifications"),
    path("@<str:handle>/", views.profile, name="profile"),
    path("@<str:handle>/follow/", views.follow, name="follow"),
]
