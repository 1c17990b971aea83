from __future__ import annotations


def unread_notifications(request) -> dict:
    """The header's badge: how many notifications the signed-in user has not opened (counted only when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: user.notifications.filter(read_at=None).count()}
