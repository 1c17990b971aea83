from django.contrib.auth import views as auth_views
from django.urls import path
from django_ratelimit.decorators import ratelimit

from vidora.app.accounts import views
from vidora.app.ratelimits import limit_logins_per_account, rate

login = auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", ratelimit(key="ip", rate=rate("login"), method="POST")(limit_logins_per_account(login)), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", views.settings_page, name="settings"),
    path("invites/mint/", views.mint, name="mint_invites"),
]
