"""Users (handle, profile, birth year) and the single-use invite codes that let people in."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from vidora.app.uploads import validate_image

HANDLE_RULE = RegexValidator(
    r"^[a-z0-9_](?:[a-z0-9_.]{1,28}[a-z0-9_])$",
    "A handle is 3 to 30 lowercase letters, digits, '_' or '.', not starting or ending with '.'.",
)
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


class User(AbstractUser):
    """An account. ``username`` is the public handle (@handle)."""

    username = models.CharField("handle", max_length=30, unique=True, validators=[HANDLE_RULE],
                                error_messages={"unique": "That handle is taken."})
    display_name = models.CharField(max_length=50, blank=True)
    bio = models.CharField(max_length=280, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True, validators=[validate_image])
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    @property
    def handle(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def age(self) -> int | None:
        return None if self.birth_year is None else timezone.now().year - self.birth_year

    @property
    def is_teen(self) -> bool:
        """Under the adult age (by birth year): teen defaults apply."""
        return self.age is not None and self.age < settings.VIDORA["ADULT_AGE"]

    def __str__(self) -> str:
        return f"@{self.username}"


def new_invite_code() -> str:
    return "-".join("".join(secrets.choice(INVITE_ALPHABET) for _ in range(4)) for _ in range(3))


class InviteCode(models.Model):
    """A single-use code; users get a few to share, staff mint more in the admin or `vidora app invite`."""

    code = models.CharField(max_length=14, unique=True, default=new_invite_code, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="invites")
    used_by = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="joined_with")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def __str__(self) -> str:
        return self.code
