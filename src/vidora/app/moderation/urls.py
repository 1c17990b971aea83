from django.urls import path

from vidora.app.moderation import views

app_name = "moderation"
urlpatterns = [
    path("report/<str:post_id>/", views.report, name="report"),
    path("preview/<str:generation_id>/", views.preview, name="preview"),
]
