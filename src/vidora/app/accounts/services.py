"""Sign-up with an invite, and minting invites: the rules live here, views and the API call them."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vidora.app.accounts.models import InviteCode, User


class InviteError(ValueError):
    """The invite code is unknown or already used."""


def normalise_code(code: str) -> str:
    raw = "".join(c for c in code.upper() if c.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def mint_invites(user: User | None, count: int) -> list[InviteCode]:
    return [InviteCode.objects.create(created_by=user) for _ in range(count)]


@transaction.atomic
def sign_up(code: str, handle: str, password: str, birth_year: int, display_name: str = "", email: str = "") -> User:
    """Create the account and spend the invite in one transaction (a code can never admit two people)."""
    invite = InviteCode.objects.select_for_update().filter(code=normalise_code(code)).first()
    if invite is None:
        raise InviteError("That invite code does not exist.")
    if invite.is_used:
        raise InviteError("That invite code has already been used.")
    user = User.objects.create_user(username=handle, password=password, email=email, birth_year=birth_year,
                                    display_name=display_name)
    invite.used_by, invite.used_at = user, timezone.now()
    invite.save(update_fields=["used_by", "used_at"])
    mint_invites(user, settings.VIDORA["INVITES_PER_USER"])
    return user
