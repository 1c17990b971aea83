from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from vidora.app.feed.models import SeeLess
from vidora.app.feed.ranking import FEEDS, feed_page, is_personalized, set_personalized
from vidora.app.social.models import Post
from vidora.app.social.services import mark_liked

PAGE_SIZE = 8


@require_GET
def feed(request, tab: str = "for-you"):
    if tab not in FEEDS:
        raise Http404("no such feed")
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    page = feed_page(tab, request.user, offset, PAGE_SIZE)
    context = {"tab": tab, "posts": mark_liked(page.posts, request.user), "next_offset": page.next_offset,
               "limit_reached": page.limit_reached, "personalized": is_personalized(request.user)}
    template = "feed/_items.html" if request.htmx else "feed/feed.html"
    return render(request, template, context)


@login_required
@require_POST
def see_less(request, post_id: str):
    SeeLess.objects.get_or_create(user=request.user, post=get_object_or_404(Post, pk=post_id))
    return HttpResponse("")  # htmx removes the item


@login_required
@require_POST
def personalization(request):
    """Turn the personalised For You feed on or off."""
    try:
        set_personalized(request.user, request.POST.get("on") == "1")
    except PermissionError as exc:
        messages.error(request, str(exc))
    return redirect("feed:for_you")
