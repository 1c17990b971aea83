"""Rate limits on sign-in, sign-up and generation (django-ratelimit), and the 429 answer."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def rate(name: str):
    """The rate named in settings.VIDORA["RATES"], read per request (so settings can change it)."""
    return lambda group, request: settings.VIDORA["RATES"][name]


def too_many_requests(request, exception):
    message = "Too many requests. Wait a little and try again."
    if request.path.startswith(("/v1/", "/api/")):
        error = {"message": message, "type": "rate_limit_error", "param": None, "code": "rate_limit_exceeded"}
        return JsonResponse({"error": error}, status=429)
    return render(request, "429.html", {"message": message}, status=429)
