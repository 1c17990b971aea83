"""Direct messages: one conversation per pair of accounts, its messages (text, a shared post, or both)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from vidora.app.social.models import Post


class Conversation(models.Model):
    """Two accounts; ``first`` has the lower id. Who started it matters: adults cannot start one with a teen."""

    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_message_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_conversation_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="pair_in_id_order"),
        ]

    def other(self, user):
        return self.second if user.pk == self.first_id else self.first


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=2000, blank=True)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
