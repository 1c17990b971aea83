from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vidora.app.messaging import services
from vidora.app.social.models import Post


def _account(handle: str):
    return get_object_or_404(get_user_model(), username=handle.lstrip("@").lower(), is_active=True)


@login_required
@require_GET
def inbox(request):
    if handle := request.GET.get("to", "").strip():
        return redirect("messaging:thread", handle.lstrip("@").lower())
    conversations = [(c, c.other(request.user)) for c in services.conversations_of(request.user)]
    return render(request, "messaging/inbox.html", {"conversations": conversations})


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, handle: str):
    other = _account(handle)
    if request.method == "POST":
        try:
            services.send(request.user, other, request.POST.get("text", ""))
        except services.MessageError as exc:
            messages.error(request, str(exc))
        return redirect("messaging:thread", other.username)
    context = {"other": other, "thread": services.thread(request.user, other),
               "refusal": services.refusal(request.user, other)}
    return render(request, "messaging/thread.html", context)


@login_required
@require_POST
def share(request, post_id: str):
    """Send a post (with an optional note) from its page."""
    post = get_object_or_404(Post, pk=post_id)
    handle = request.POST.get("to", "").strip().lstrip("@").lower()
    recipient = get_user_model().objects.filter(username=handle, is_active=True).first()
    if recipient is None:
        messages.error(request, f"No account @{handle}.")
        return redirect("social:post", post.pk)
    try:
        services.send(request.user, recipient, request.POST.get("text", ""), post=post)
    except services.MessageError as exc:
        messages.error(request, str(exc))
        return redirect("social:post", post.pk)
    messages.success(request, f"Sent to @{recipient.handle}.")
    return redirect("messaging:thread", recipient.username)
