from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from vidora.app.social import services
from vidora.app.social.models import Comment, Post
from vidora.app.studio.models import Generation
from vidora.app.studio.services import GenerationRequestError


def _post(post_id: str) -> Post:
    return get_object_or_404(Post.objects.select_related("author", "generation", "remix_of__author"), pk=post_id)


@require_GET
def post_detail(request, post_id: str):
    post = _post(post_id)
    seen = request.session.setdefault("seen_posts", [])
    if post.pk not in seen:  # a view counts once per visitor session
        post.bump("view_count")
        request.session["seen_posts"] = (seen + [post.pk])[-500:]
    context = {
        "post": post,
        "liked": request.user.is_authenticated and post.likes.filter(user=request.user).exists(),
        "comments": post.comments.filter(parent=None).select_related("author").prefetch_related("replies__author"),
        "remixes": post.remixes.select_related("author")[:24],
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
    request.user.notifications.filter(read_at=None).update(read_at=timezone.now())
    return render(request, "social/notifications.html", {"items": items})
