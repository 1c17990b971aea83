"""Free generations used per day, and credits: a balance per account and the ledger that explains it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DailyUsage(models.Model):
    """Free generations an account started on one (UTC) day; deleting a video does not give one back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_usage")
    day = models.DateField()
    free_used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_usage_row_per_day")]


class CreditAccount(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="credits")
    balance = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user}: {self.balance} credits"


class CreditEntry(models.Model):
    """One change to a balance: a grant (positive), a generation (-1) or its refund (+1)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credit_entries")
    change = models.IntegerField()
    reason = models.CharField(max_length=200)
    generation_id = models.CharField(max_length=40, blank=True, db_index=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "credit entries"
