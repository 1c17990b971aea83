"""Sending direct messages under the teen rules: adults cannot start a conversation with a teen, and a
parent can turn a teen's direct messages off (then they neither send nor receive)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vidora.app.messaging.models import Conversation, Message
from vidora.app.parental.services import may_message

MAX_TEXT = 2000


class MessageError(ValueError):
    """A message that cannot be sent; the message says why."""


def conversation_between(a, b) -> Conversation | None:
    first, second = sorted((a, b), key=lambda u: u.pk)
    return Conversation.objects.filter(first=first, second=second).first()


def refusal(sender, recipient) -> str | None:
    """Why ``sender`` may not message ``recipient`` now (None: they may)."""
    if sender == recipient:
        return "You cannot message yourself."
    if not may_message(sender):
        return "Direct messages are turned off for your account."
    if not may_message(recipient):
        return f"@{recipient.handle} cannot receive direct messages."
    if conversation_between(sender, recipient) is None and recipient.is_teen and not sender.is_teen:
        return f"@{recipient.handle} has a teen account: adults cannot start a conversation with a teen."
    return None


@transaction.atomic
def send(sender, recipient, text: str = "", post=None) -> Message:
    text = text.strip()
    if not text and post is None:
        raise MessageError("Write a message or share a post.")
    if len(text) > MAX_TEXT:
        raise MessageError(f"text: {len(text)} characters, the limit is {MAX_TEXT}")
    if reason := refusal(sender, recipient):
        raise MessageError(reason)
    first, second = sorted((sender, recipient), key=lambda u: u.pk)
    now = timezone.now()
    try:
        with transaction.atomic():
            conversation, _ = Conversation.objects.get_or_create(
                first=first, second=second, defaults={"started_by": sender, "last_message_at": now})
    except IntegrityError:  # both started it at once
        conversation = Conversation.objects.get(first=first, second=second)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    return Message.objects.create(conversation=conversation, sender=sender, text=text, post=post)


def conversations_of(user):
    return (Conversation.objects.filter(Q(first=user) | Q(second=user))
            .select_related("first", "second").order_by("-last_message_at"))


def thread(user, other):
    """The messages between ``user`` and ``other``, oldest first; reading them marks them read."""
    conversation = conversation_between(user, other)
    if conversation is None:
        return Message.objects.none()
    conversation.messages.filter(read_at=None).exclude(sender=user).update(read_at=timezone.now())
    return conversation.messages.select_related("sender", "post__author")


def unread_count(user) -> int:
    return Message.objects.filter(Q(conversation__first=user) | Q(conversation__second=user), read_at=None).exclude(
        sender=user).count()
