"""Who may generate now, and at what priority: a free daily quota, then credits; credit-backed
generations run before free ones (see studio's queue order). Limits come from settings.VIDORA["QUOTAS"]."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vidora.app.quotas.models import CreditAccount, CreditEntry, DailyUsage
from vidora.app.studio.models import Generation
from vidora.app.studio.services import GenerationRequestError

FREE, CREDIT = 0, 1  # Generation.priority: credit-backed first


class QuotaExceeded(GenerationRequestError):
    """No free generations left today and no credits."""

    status, code, param = 429, "insufficient_quota", None


class NoCredits(GenerationRequestError):
    code, param = "insufficient_quota", "use_credit"


def free_daily() -> int:
    return settings.VIDORA["QUOTAS"]["FREE_DAILY"]


def today():
    return timezone.now().date()


def credits_of(user) -> int:
    return CreditAccount.objects.filter(user=user).values_list("balance", flat=True).first() or 0


def _spend_credit(user, generation_id: str, reason: str) -> bool:
    spent = CreditAccount.objects.filter(user=user, balance__gt=0).update(balance=F("balance") - 1)
    if spent:
        CreditEntry.objects.create(user=user, change=-1, reason=reason, generation_id=generation_id)
    return bool(spent)


@transaction.atomic
def charge(user, generation_id: str, use_credit: bool = False) -> int:
    """Pay for generation ``generation_id`` and return its priority: a free one while today's quota lasts (unless
    ``use_credit``), else a credit; QuotaExceeded when neither is left."""
    if use_credit:
        if not _spend_credit(user, generation_id, "generation"):
            raise NoCredits("use_credit: you have no credits left")
        return CREDIT
    usage, _ = DailyUsage.objects.select_for_update().get_or_create(user=user, day=today())
    if usage.free_used < free_daily():
        DailyUsage.objects.filter(pk=usage.pk).update(free_used=F("free_used") + 1)
        return FREE
    if _spend_credit(user, generation_id, "generation (free quota used up)"):
        return CREDIT
    raise QuotaExceeded(f"You have used today's {free_daily()} free generations and have no credits. "
                        "Free generations come back tomorrow (UTC).")


@transaction.atomic
def refund(generation: Generation) -> None:
    """Give back what a generation that failed cost."""
    if generation.priority == CREDIT:
        CreditAccount.objects.filter(user_id=generation.owner_id).update(balance=F("balance") + 1)
        CreditEntry.objects.create(user_id=generation.owner_id, change=1, reason="refund: the generation failed",
                                   generation_id=generation.pk)
    else:
        DailyUsage.objects.filter(user_id=generation.owner_id, day=generation.created_at.date(),
                                  free_used__gt=0).update(free_used=F("free_used") - 1)


@transaction.atomic
def grant(user, amount: int, granted_by=None, reason: str = "granted") -> int:
    """Add (or, negative, remove) credits; returns the new balance."""
    account, _ = CreditAccount.objects.select_for_update().get_or_create(user=user)
    if account.balance + amount < 0:
        raise ValueError(f"@{user.handle} has {account.balance} credits; cannot remove {-amount}")
    account.balance += amount
    account.save(update_fields=["balance"])
    CreditEntry.objects.create(user=user, change=amount, reason=reason, granted_by=granted_by)
    return account.balance


def is_high_demand() -> bool:
    """The queue is long: free generations visibly wait behind credit-backed ones."""
    return Generation.objects.filter(status=Generation.Status.QUEUED).count() >= settings.VIDORA["QUOTAS"]["HIGH_DEMAND_QUEUE"]


@dataclass(frozen=True)
class QuotaStatus:
    free_daily: int
    free_left: int
    credits: int
    high_demand: bool


def quota_status(user) -> QuotaStatus:
    used = DailyUsage.objects.filter(user=user, day=today()).values_list("free_used", flat=True).first() or 0
    return QuotaStatus(free_daily(), max(0, free_daily() - used), credits_of(user), is_high_demand())


def queue_note(generation: Generation) -> str | None:
    """What the studio says about a queued generation's wait, when demand is high."""
    if generation.status != Generation.Status.QUEUED or not is_high_demand():
        return None
    if generation.priority == CREDIT:
        return "High demand: credit-backed, it goes ahead of free generations."
    return "High demand: free generations wait behind credit-backed ones."
