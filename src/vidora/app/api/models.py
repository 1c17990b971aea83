"""API keys: bearer tokens a user creates on their settings page, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

KEY_PREFIX = "vk-"


def hash_key(key: str) -> str:
    # The key is 32 random bytes, so a fast hash is enough: nobody can guess their way to a preimage.
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=60)
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    shown_prefix = models.CharField(max_length=12, editable=False)  # enough to tell keys apart, not to use one
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.shown_prefix}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiKey, str]:
        """A new key for ``user``; the secret is returned once and never stored."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = cls.objects.create(user=user, name=name.strip(), hashed_key=hash_key(secret), shown_prefix=secret[:10])
        return key, secret
