"""Creating and revoking API keys from the settings page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vidora.app.api.models import ApiKey

MAX_KEYS = 20


@login_required
@require_POST
def create_key(request):
    name = request.POST.get("name", "").strip()[: ApiKey._meta.get_field("name").max_length]
    if not name:
        messages.error(request, "Give the key a name, so you can tell it from the others.")
    elif request.user.api_keys.count() >= MAX_KEYS:
        messages.error(request, f"You have {MAX_KEYS} keys; revoke one first.")
    else:
        key, secret = ApiKey.issue(request.user, name)
        # Shown on this response only: the secret is not stored, not even in a message cookie.
        return render(request, "api/key_created.html", {"key": key, "secret": secret})
    return redirect("accounts:settings")


@login_required
@require_POST
def revoke_key(request, key_id: int):
    key = get_object_or_404(ApiKey, pk=key_id, user=request.user)
    key.delete()
    messages.success(request, f"Revoked the key “{key.name}”. Programs using it can no longer sign in.")
    return redirect("accounts:settings")
