"""Who is calling: a bearer API key, or the browser's session (with its CSRF token on writes)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from vidora.app.api.models import ApiKey, hash_key

LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write per key per minute


class BearerKey(HttpBearer):
    def authenticate(self, request, token: str):
        key = ApiKey.objects.select_related("user").filter(hashed_key=hash_key(token), user__is_active=True).first()
        if key is None:
            return None
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        request.user = key.user  # operations read request.user whichever way the caller signed in
        return key.user


class BrowserSession(SessionAuth):
    """Django's session, with the CSRF check on writes."""

    def _get_key(self, request):
        # Buffer the body first: the CSRF check may read form fields, and after that Django would refuse
        # to hand the raw body to the JSON/form parser.
        request.body  # noqa: B018
        return super()._get_key(request)


def anyone(request):
    """For public operations: the signed-in viewer if there is one, else the anonymous user."""
    return request.user


bearer_key = BearerKey()
SIGNED_IN = [bearer_key, BrowserSession()]
PUBLIC = [*SIGNED_IN, anyone]
