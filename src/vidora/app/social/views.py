from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from vidora.app.moderation.models import Report
from vidora.app.ratelimits import limit_generations
from vidora.app.social import services
from vidora.app.social.models import Comment, Post
from vidora.app.studio.models import Generation
from vidora.app.studio.services import GenerationRequestError


def _post(post_id: str) -> Post:
    return get_object_or_404(Post.objects.select_related("author", "generation", "remix_of__author"), pk=post_id)


def viewer(request) -> str:
    """Who is watching, for counting views: the account, else the browser session."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if request.session.session_key is None:
        request.session.save()
    return f"session:{request.session.session_key}"


@require_GET
def post_detail(request, post_id: str):
    post = _post(post_id)
    services.record_view(post, viewer(request))
    context = {
        "post": post,
        "liked": request.user.is_authenticated and post.likes.filter(user=request.user).exists(),
        "comments": post.comments.filter(parent=None).select_related("author").prefetch_related("replies__author"),
        "remixes": post.remixes.select_related("author")[:24],
        "report_reasons": Report.Reason.choices,
    }
    return render(request, "social/post.html", context)


@login_required
@require_POST
def publish(request, generation_id: str):
    generation = get_object_or_404(Generation, pk=generation_id, owner=request.user)
    try:
        post = services.publish(generation, request.POST.get("caption", "")[:500])
    except services.SocialError as exc:
        messages.error(request, str(exc))
        return redirect("studio:home")
    return redirect("social:post", post.pk)


@require_POST
def view(request, post_id: str):
    """The feed reports a video that started playing."""
    services.record_view(_post(post_id), viewer(request))
    return HttpResponse(status=204)


@login_required
@require_POST
def like(request, post_id: str):
    post = _post(post_id)
    liked = services.toggle_like(post, request.user)
    post.refresh_from_db(fields=["like_count"])
    if request.htmx:
        return render(request, "social/_like.html", {"post": post, "liked": liked})
    return redirect("social:post", post.pk)


@login_required
@require_POST
def comment(request, post_id: str):
    post = _post(post_id)
    parent = None
    if parent_id := request.POST.get("parent"):
        parent = get_object_or_404(Comment, pk=parent_id if parent_id.isdigit() else -1, post=post)
    try:
        services.add_comment(post, request.user, request.POST.get("text", "")[:500], parent)
    except services.SocialError as exc:
        messages.error(request, str(exc))
    return redirect("social:post", post.pk)


@login_required
@limit_generations
@require_POST
def remix(request, post_id: str):
    post = _post(post_id)
    try:
        strength = float(request.POST.get("strength", 0.6))
        services.remix(post, request.user, request.POST.get("prompt", ""), strength)
    except ValueError as exc:  # SocialError, GenerationRequestError, or a strength that is not a number
        messages.error(request, str(exc) if isinstance(exc, (services.SocialError, GenerationRequestError)) else "strength: must be a number")
        return redirect("social:post", post.pk)
    messages.success(request, "Remix queued. Post it from the studio when it is ready.")
    return redirect("studio:home")


@require_GET
def profile(request, handle: str):
    person = get_object_or_404(get_user_model(), username=handle.lower())
    context = {
        "person": person,
        "posts": person.posts.select_related("generation"),
        "following": services.is_following(request.user, person),
        "follower_count": person.followers.count(),
        "following_count": person.following.count(),
    }
    return render(request, "social/profile.html", context)


@login_required
@require_POST
def follow(request, handle: str):
    person = get_object_or_404(get_user_model(), username=handle.lower())
    try:
        if services.is_following(request.user, person):
            services.unfollow(request.user, person)
        else:
            services.follow(request.user, person)
    except services.SocialError as exc:
        messages.error(request, str(exc))
    return redirect("social:profile", person.username)


@login_required
@require_GET
def notifications(request):
    items = list(request.user.notifications.select_related("actor", "post")[:100])
    services.mark_notifications_read(request.user)
    return render(request, "social/notifications.html", {"items": items})
