from django.urls import path

from vidora.app.feed import views

app_name = "feed"
urlpatterns = [
    path("", views.feed, name="for_you"),
    path("following/", views.feed, {"tab": "following"}, name="following"),
    path("less/<str:post_id>/", views.see_less, name="see_less"),
    path("personalization/", views.personalization, name="personalization"),
]
