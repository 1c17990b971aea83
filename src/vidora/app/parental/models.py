"""Parent links (a parent account supervising a teen account) and the teen's daily scroll count."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from vidora.app.accounts.models import INVITE_ALPHABET

CODE_LIFETIME = timedelta(days=1)


def new_family_code() -> str:
    return "-".join("".join(secrets.choice(INVITE_ALPHABET) for _ in range(4)) for _ in range(2))


class FamilyCode(models.Model):
    """A code a teen makes and gives to a parent, who enters it to link the accounts (single use, one day)."""

    teen = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_code")
    code = models.CharField(max_length=9, unique=True, default=new_family_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def is_expired(self) -> bool:
        return timezone.now() - self.created_at > CODE_LIFETIME


class ParentLink(models.Model):
    """A parent supervising a teen, and what the parent set; the teen sees every setting."""

    teen = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_link")
    parent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teen_links")
    created_at = models.DateTimeField(auto_now_add=True)
    allow_personalized_feed = models.BooleanField(default=False)
    daily_scroll_limit = models.PositiveIntegerField(null=True, blank=True)  # None: the teen default in settings
    allow_direct_messages = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.parent} supervises {self.teen}"


class DailyScroll(models.Model):
    """Feed videos served to an account on one (UTC) day: what the continuous-scroll cap counts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_scroll_count_per_day")]
