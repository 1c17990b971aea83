"""Posting, remixing, likes, comments, follows and the notifications they send."""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from vidora.app.social.models import Comment, Follow, Like, Notification, Post
from vidora.app.studio.models import Generation
from vidora.app.studio.services import create_generation


class SocialError(ValueError):
    """An action that is not allowed; the message says why."""


def notify(recipient, actor, kind: str, post: Post | None = None) -> None:
    if recipient != actor:
        Notification.objects.create(recipient=recipient, actor=actor, kind=kind, post=post)


@transaction.atomic
def publish(generation: Generation, caption: str = "") -> Post:
    """Share a finished generation; a remix links to (and notifies) the post it came from."""
    if generation.status != Generation.Status.COMPLETED:
        raise SocialError("Only a finished video can be posted.")
    if Post.objects.filter(generation=generation).exists():
        raise SocialError("This video is already posted.")
    if generation.uploaded_frames:
        raise SocialError("This video continues one you uploaded, so part of it was not generated: "
                          "download it, but only generated videos are posted.")
    is_remix = generation.task == Generation.Task.REMIX and generation.source_id
    source = Post.objects.filter(generation_id=generation.source_id).first() if is_remix else None
    post = Post.objects.create(author=generation.owner, generation=generation, caption=caption.strip(), remix_of=source)
    if source is not None:
        source.bump("remix_count")
        notify(source.author, post.author, Notification.Kind.REMIX, post)
    return post


def remix(post: Post, user, prompt: str, strength: float = 0.6) -> Generation:
    """Queue a new generation from a public post with a new prompt (the engine's remix)."""
    if not 0 < strength <= 1:
        raise SocialError("strength: must be more than 0 and at most 1")
    return create_generation(user, prompt, Generation.Task.REMIX, {"strength": strength}, source=post.generation)


def like(post: Post, user) -> None:
    """Like a post (liking it again changes nothing)."""
    try:
        with transaction.atomic():
            Like.objects.create(post=post, user=user)
            post.bump("like_count")
    except IntegrityError:  # already liked (or a double click raced us)
        return
    notify(post.author, user, Notification.Kind.LIKE, post)


def unlike(post: Post, user) -> None:
    with transaction.atomic():
        deleted, _ = Like.objects.filter(post=post, user=user).delete()
        if deleted:
            post.bump("like_count", -1)


def toggle_like(post: Post, user) -> bool:
    """Like, or take the like back; returns whether the user now likes the post."""
    if Like.objects.filter(post=post, user=user).exists():
        unlike(post, user)
        return False
    like(post, user)
    return True


def mark_liked(posts: list[Post], user) -> list[Post]:
    """Set ``liked_by_viewer`` on each post (one query for the lot)."""
    liked = set(user.likes.filter(post__in=posts).values_list("post_id", flat=True)) if user.is_authenticated else set()
    for post in posts:
        post.liked_by_viewer = post.pk in liked
    return posts


VIEW_WINDOW = 24 * 3600  # a viewer counts once a day per post


def record_view(post: Post, viewer: str) -> bool:
    """Count a view unless ``viewer`` (an account or a browser session) was counted in the last day."""
    if cache.add(f"viewed:{post.pk}:{viewer}", 1, timeout=VIEW_WINDOW):
        post.bump("view_count")
        return True
    return False


@transaction.atomic
def add_comment(post: Post, user, text: str, parent: Comment | None = None) -> Comment:
    text = text.strip()
    if not text:
        raise SocialError("A comment needs some text.")
    if parent is not None:
        if parent.post_id != post.pk:
            raise SocialError("That reply belongs to another post.")
        parent = parent.parent or parent  # replies are one level deep: a reply to a reply joins its thread
    comment = Comment.objects.create(post=post, author=user, parent=parent, text=text)
    post.bump("comment_count")
    notify(post.author, user, Notification.Kind.COMMENT, post)
    if parent is not None and parent.author != post.author:
        notify(parent.author, user, Notification.Kind.COMMENT, post)
    return comment


def follow(follower, followee) -> None:
    if follower == followee:
        raise SocialError("You cannot follow yourself.")
    _, created = Follow.objects.get_or_create(follower=follower, followee=followee)
    if created:
        notify(followee, follower, Notification.Kind.FOLLOW)


def unfollow(follower, followee) -> None:
    Follow.objects.filter(follower=follower, followee=followee).delete()


def mark_notifications_read(user) -> None:
    user.notifications.filter(read_at=None).update(read_at=timezone.now())


def is_following(follower, followee) -> bool:
    return follower.is_authenticated and Follow.objects.filter(follower=follower, followee=followee).exists()
