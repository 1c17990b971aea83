"""Rate limits on sign-in, sign-up and generation (django-ratelimit), and the 429 answer."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit

from vidora.app.api.errors import RATE_LIMITED, error_response, is_api


def rate(name: str):
    """The rate named in settings.VIDORA["RATES"], read per request (so settings can change it)."""
    return lambda group, request: settings.VIDORA["RATES"][name]


# One budget per account for every way of starting a generation: the studio, the native API and /v1.
limit_generations = ratelimit(group="generate", key="user", rate=rate("generate"), method="POST")
# Verifying decodes the whole upload and scans the fingerprint index: a budget per account.
limit_verifications = ratelimit(group="verify", key="user", rate=rate("verify"), method="POST")


def too_many_requests(request, exception):
    if is_api(request):
        return error_response(429, RATE_LIMITED)
    return render(request, "429.html", {"message": RATE_LIMITED}, status=429)
