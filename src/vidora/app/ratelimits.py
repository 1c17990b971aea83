"""Rate limits on sign-in, sign-up, generation and making cameos (django-ratelimit), and the 429 answer."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit

from vidora.app.api.errors import RATE_LIMITED, error_response, is_api


def rate(name: str):
    """The rate named in settings.VIDORA["RATES"], read per request (so settings can change it)."""
    return lambda group, request: settings.VIDORA["RATES"][name]


def limit_generations(view):
    """One budget per account and one per client address for every way of starting a generation: the studio,
    the native API and /v1 (the address budget stops one client spreading over many accounts)."""
    per_account = ratelimit(group="generate", key="user", rate=rate("generate"), method="POST")
    per_address = ratelimit(group="generate-ip", key="ip", rate=rate("generate_ip"), method="POST")
    return per_address(per_account(view))


# Sign-in attempts per account name, whatever address they come from (password guessing spread over many).
limit_logins_per_account = ratelimit(group="login-account", key="post:username", rate=rate("login_account"),
                                     method="POST")
# Making a cameo runs dlib on the upload (a recording also a job of speech and face checks): a budget per account.
limit_cameos = ratelimit(group="cameo", key="user", rate=rate("cameo"), method="POST")
# Verifying decodes the whole upload and scans the fingerprint index: a budget per account.
limit_verifications = ratelimit(group="verify", key="user", rate=rate("verify"), method="POST")


def too_many_requests(request, exception):
    if is_api(request):
        return error_response(429, RATE_LIMITED)
    return render(request, "429.html", {"message": RATE_LIMITED}, status=429)
