from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path

urlpatterns = [
    path("", lambda request: redirect("feed:for_you")),
    path("feed/", include("vidora.app.feed.urls")),
    path("accounts/", include("vidora.app.accounts.urls")),
    path("studio/", include("vidora.app.studio.urls")),
    path("cameos/", include("vidora.app.cameos.urls")),
    path("moderation/", include("vidora.app.moderation.urls")),
    path("family/", include("vidora.app.parental.urls")),
    path("messages/", include("vidora.app.messaging.urls")),
    path("admin/", admin.site.urls),
    path("", include("vidora.app.api.urls")),
    path("", include("vidora.app.social.urls")),
]

# JSON under /api/ and /v1/, Django's pages elsewhere.
handler404 = "vidora.app.api.errors.not_found"
handler500 = "vidora.app.api.errors.server_error"
