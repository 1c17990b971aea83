from django.urls import path

from vidora.app.api import views
from vidora.app.api.native import api as native_api
from vidora.app.api.openai_videos import api as openai_api

urlpatterns = [
    path("api/", native_api.urls),
    path("v1/", openai_api.urls),
    path("settings/keys/", views.create_key, name="create_key"),
    path("settings/keys/<int:key_id>/revoke/", views.revoke_key, name="revoke_key"),
]
