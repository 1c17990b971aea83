"""Posts, likes, comments, remixes, follows, views and notifications in the native JSON API."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import FiniteFloat

from vidora.app.api.auth import PUBLIC
from vidora.app.pagination import Pages
from vidora.app.ratelimits import limit_generations
from vidora.app.social import services
from vidora.app.social.models import Comment, Post
from vidora.app.social.views import viewer
from vidora.app.studio.api import GenerationOut
from vidora.app.studio.models import Generation
from vidora.app.studio.services import MAX_PROMPT_CHARS

router = Router(tags=["social"])


class PostOut(Schema):
    id: str
    url: str = Field(description="The post's page: the link to share")
    author: str = Field(alias="author.username")
    caption: str
    prompt: str = Field(alias="generation.prompt")
    generation_id: str
    remix_of_id: str | None = Field(description="The post this one remixes (up the chain)")
    view_count: int
    like_count: int
    comment_count: int
    remix_count: int = Field(description="Posts that remix this one: GET /posts/{id}/remixes (down the chain)")
    liked: bool = Field(description="Whether the caller likes it")
    video_url: str
    thumbnail_url: str
    created_at: datetime

    @staticmethod
    def resolve_url(post: Post, context) -> str:
        return context["request"].build_absolute_uri(reverse("social:post", args=[post.pk]))

    @staticmethod
    def resolve_liked(post: Post, context) -> bool:
        if not hasattr(post, "liked_by_viewer"):
            services.mark_liked([post], context["request"].user)
        return post.liked_by_viewer

    @staticmethod
    def resolve_video_url(post: Post) -> str:
        return reverse("studio:content", args=[post.generation_id, "video"])

    @staticmethod
    def resolve_thumbnail_url(post: Post) -> str:
        return reverse("studio:content", args=[post.generation_id, "thumbnail"])


class UserOut(Schema):
    handle: str = Field(alias="username")
    display_name: str
    bio: str
    avatar_url: str | None
    url: str
    followers: int
    following: int
    posts: int
    followed_by_you: bool

    @staticmethod
    def resolve_avatar_url(user) -> str | None:
        return user.avatar.url if user.avatar else None

    @staticmethod
    def resolve_url(user, context) -> str:
        return context["request"].build_absolute_uri(reverse("social:profile", args=[user.username]))

    @staticmethod
    def resolve_followers(user) -> int:
        return user.followers.count()

    @staticmethod
    def resolve_following(user) -> int:
        return user.following.count()

    @staticmethod
    def resolve_posts(user) -> int:
        return user.posts.count()

    @staticmethod
    def resolve_followed_by_you(user, context) -> bool:
        return services.is_following(context["request"].user, user)


class CommentIn(Schema):
    text: str = Field(min_length=1, max_length=500)
    parent: int | None = Field(None, description="The comment this replies to; replies are one level deep")


class ReplyOut(Schema):
    id: int
    author: str = Field(alias="author.username")
    text: str
    parent_id: int | None
    created_at: datetime


class CommentOut(ReplyOut):
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(comment: Comment) -> list[Comment]:
        return list(comment.replies.all())


class PublishIn(Schema):
    caption: str = Field("", max_length=500)


class RemixIn(Schema):
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
    strength: FiniteFloat = Field(0.6, gt=0, le=1, description="0 keeps the source, 1 ignores it")


class LikeOut(Schema):
    liked: bool
    like_count: int


class ViewOut(Schema):
    counted: bool
    view_count: int


class NotificationOut(Schema):
    id: int
    kind: str
    actor: str = Field(alias="actor.username")
    post_id: str | None
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_read(n) -> bool:
        return n.read_at is not None


def _post(post_id: str) -> Post:
    return get_object_or_404(Post.objects.select_related("author", "generation"), pk=post_id)


def _person(handle: str):
    return get_object_or_404(get_user_model(), username=handle.lower())


def _like_state(request, post: Post) -> dict:
    post.refresh_from_db(fields=["like_count"])
    return {"liked": post.likes.filter(user=request.user).exists(), "like_count": post.like_count}


@router.post("/generations/{generation_id}/publish", response={201: PostOut}, summary="Post a finished generation")
def publish(request, generation_id: str, body: PublishIn):
    generation = get_object_or_404(Generation, pk=generation_id, owner=request.user)
    return Status(201, services.publish(generation, body.caption))


@router.get("/posts/{post_id}", response=PostOut, auth=PUBLIC, summary="A post (public)")
def post_detail(request, post_id: str):
    return _post(post_id)


@router.post("/posts/{post_id}/views", response=ViewOut, auth=PUBLIC,
             summary="Count a view (once a day per viewer)")
def record_view(request, post_id: str):
    post = _post(post_id)
    counted = services.record_view(post, viewer(request))
    post.refresh_from_db(fields=["view_count"])
    return {"counted": counted, "view_count": post.view_count}


@router.put("/posts/{post_id}/like", response=LikeOut, summary="Like a post")
def like(request, post_id: str):
    post = _post(post_id)
    services.like(post, request.user)
    return _like_state(request, post)


@router.delete("/posts/{post_id}/like", response=LikeOut, summary="Take a like back")
def unlike(request, post_id: str):
    post = _post(post_id)
    services.unlike(post, request.user)
    return _like_state(request, post)


@router.get("/posts/{post_id}/comments", response=list[CommentOut], auth=PUBLIC,
            summary="Comments, oldest first, each with its replies")
@paginate(Pages)
def comments(request, post_id: str):
    return _post(post_id).comments.filter(parent=None).select_related("author").prefetch_related("replies__author")


@router.post("/posts/{post_id}/comments", response={201: ReplyOut}, summary="Comment, or reply to a comment")
def add_comment(request, post_id: str, body: CommentIn):
    post = _post(post_id)
    parent = get_object_or_404(Comment, pk=body.parent, post=post) if body.parent is not None else None
    return Status(201, services.add_comment(post, request.user, body.text, parent))


@router.post("/posts/{post_id}/remix", response={201: GenerationOut},
             summary="Queue a remix of a post with a new prompt (post it when it is done)")
@limit_generations
def remix(request, post_id: str, body: RemixIn):
    return Status(201, services.remix(_post(post_id), request.user, body.prompt, body.strength))


@router.get("/posts/{post_id}/remixes", response=list[PostOut], auth=PUBLIC, summary="Posts that remix this one")
@paginate(Pages)
def remixes(request, post_id: str):
    return _post(post_id).remixes.select_related("author", "generation")


@router.get("/users/{handle}", response=UserOut, auth=PUBLIC, summary="A profile")
def user(request, handle: str):
    return _person(handle)


@router.get("/users/{handle}/posts", response=list[PostOut], auth=PUBLIC, summary="A profile's grid, newest first")
@paginate(Pages)
def user_posts(request, handle: str):
    return _person(handle).posts.select_related("author", "generation")


@router.put("/users/{handle}/follow", response={204: None}, summary="Follow")
def follow(request, handle: str):
    services.follow(request.user, _person(handle))
    return Status(204, None)


@router.delete("/users/{handle}/follow", response={204: None}, summary="Unfollow")
def unfollow(request, handle: str):
    services.unfollow(request.user, _person(handle))
    return Status(204, None)


@router.get("/notifications", response=list[NotificationOut], summary="Your notifications, newest first")
@paginate(Pages)
def notifications(request, unread: bool = False):
    items = request.user.notifications.select_related("actor")
    return items.filter(read_at=None) if unread else items


@router.post("/notifications/read", response={204: None}, summary="Mark every notification read")
def mark_read(request):
    services.mark_notifications_read(request.user)
    return Status(204, None)
