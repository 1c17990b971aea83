"""Teen rules and what a linked parent sets: feed personalisation, a daily scroll cap, direct messages.

Teens (under settings.VIDORA["ADULT_AGE"] by birth year) get a non-personalised feed and the teen scroll
cap by default. A parent links with a code the teen makes; the parent's settings then apply, and the
teen sees them on their settings page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from vidora.app.accounts.services import normalise_code
from vidora.app.parental.models import DailyScroll, FamilyCode, ParentLink

MAX_SCROLL_LIMIT = 1000


class FamilyError(ValueError):
    """A link or a setting that is not allowed; the message says why."""


def link_of(teen) -> ParentLink | None:
    return ParentLink.objects.filter(teen=teen).select_related("parent").first() if teen.is_authenticated else None


def new_family_code(teen) -> FamilyCode:
    """A fresh code for ``teen`` to give a parent (replacing any earlier one)."""
    if not teen.is_teen:
        raise FamilyError("Only teen accounts can be linked to a parent.")
    if ParentLink.objects.filter(teen=teen).exists():
        raise FamilyError("Your account is already linked to a parent.")
    FamilyCode.objects.filter(teen=teen).delete()
    return FamilyCode.objects.create(teen=teen)


@transaction.atomic
def link(parent, code: str) -> ParentLink:
    """The parent enters the teen's code: the accounts are linked and the code is spent."""
    if parent.is_teen or parent.age is None:
        raise FamilyError("Only an adult account can be a parent account.")
    raw = normalise_code(code)
    family_code = FamilyCode.objects.select_for_update().select_related("teen").filter(code=raw).first()
    if family_code is None or family_code.is_expired:
        raise FamilyError("That code does not exist or has expired; ask your teen for a new one.")
    teen = family_code.teen
    if teen == parent:
        raise FamilyError("You cannot supervise your own account.")
    family_code.delete()
    try:
        return ParentLink.objects.create(teen=teen, parent=parent)
    except IntegrityError:
        raise FamilyError(f"@{teen.handle} is already linked to a parent.") from None


def supervised(parent, teen_handle: str) -> ParentLink:
    link_ = ParentLink.objects.select_related("teen").filter(parent=parent, teen__username=teen_handle).first()
    if link_ is None:
        raise FamilyError(f"You do not supervise @{teen_handle}.")
    return link_


def update_controls(link_: ParentLink, *, allow_personalized_feed: bool, daily_scroll_limit: int | None,
                    allow_direct_messages: bool) -> ParentLink:
    if daily_scroll_limit is not None and not 1 <= daily_scroll_limit <= MAX_SCROLL_LIMIT:
        raise FamilyError(f"daily_scroll_limit: from 1 to {MAX_SCROLL_LIMIT} videos a day (or empty for the default)")
    link_.allow_personalized_feed = allow_personalized_feed
    link_.daily_scroll_limit = daily_scroll_limit
    link_.allow_direct_messages = allow_direct_messages
    link_.save(update_fields=["allow_personalized_feed", "daily_scroll_limit", "allow_direct_messages"])
    return link_


def unlink(link_: ParentLink) -> None:
    """Only the parent ends a link (a teen cannot lift their own controls)."""
    link_.delete()


@dataclass(frozen=True)
class TeenRules:
    """What applies to one account now, and who set it (for the teen's settings page)."""

    is_teen: bool
    parent: str | None  # the linked parent's handle
    personalized_feed_allowed: bool
    daily_scroll_limit: int | None  # videos a day in the feed; None: no cap
    direct_messages: bool


def rules_for(user) -> TeenRules:
    if not user.is_authenticated or not user.is_teen:
        return TeenRules(False, None, True, None, True)
    link_ = link_of(user)
    default_limit = settings.VIDORA["TEENS"]["DAILY_SCROLL_LIMIT"]
    if link_ is None:
        return TeenRules(True, None, True, default_limit, True)
    return TeenRules(True, link_.parent.handle, link_.allow_personalized_feed,
                     link_.daily_scroll_limit or default_limit, link_.allow_direct_messages)


def may_message(user) -> bool:
    return rules_for(user).direct_messages


@dataclass(frozen=True)
class ScrollAllowance:
    shown: int  # how many of the asked-for items may be shown
    limit: int | None
    reached: bool  # nothing more today


@transaction.atomic
def take_scroll(user, items: int) -> ScrollAllowance:
    """Count ``items`` feed videos against the user's daily cap; fewer are allowed once the cap is near."""
    limit = rules_for(user).daily_scroll_limit
    if limit is None:
        return ScrollAllowance(items, None, False)
    day = timezone.now().date()
    count, _ = DailyScroll.objects.select_for_update().get_or_create(user=user, day=day)
    shown = max(0, min(items, limit - count.items))
    DailyScroll.objects.filter(pk=count.pk).update(items=F("items") + shown)
    return ScrollAllowance(shown, limit, count.items + shown >= limit)
