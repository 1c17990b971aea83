"""The feed in the native JSON API."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from vidora.app.api.auth import PUBLIC
from vidora.app.api.errors import ApiError
from vidora.app.feed.models import SeeLess
from vidora.app.feed.ranking import feed_page, set_personalized
from vidora.app.pagination import Pages
from vidora.app.social.api import PostOut
from vidora.app.social.models import Post

router = Router(tags=["feed"])


class PersonalizationIn(Schema):
    personalized: bool


@router.put("/feed/personalization", response={204: None},
            summary="Turn the personalised For You feed on or off (a parent can keep a teen's off)")
def personalization(request, body: PersonalizationIn):
    try:
        set_personalized(request.user, body.personalized)
    except PermissionError as exc:
        raise ApiError(403, str(exc), param="personalized") from None
    return Status(204, None)


@router.post("/feed/see-less/{post_id}", response={204: None},
             summary="See less like this: the post leaves your feed and its author ranks lower")
def see_less(request, post_id: str):
    SeeLess.objects.get_or_create(user=request.user, post=get_object_or_404(Post, pk=post_id))
    return Status(204, None)


class FeedOut(Schema):
    items: list[PostOut]
    count: int
    limit_reached: bool = Field(description="The daily scroll cap (teen accounts) stops the feed here until tomorrow")


@router.get("/feed/{tab}", response=FeedOut, auth=PUBLIC,
            summary="For You (ranked; personalised unless turned off) or Following (newest first; empty unless "
                    "signed in)")
def feed(request, tab: Literal["for-you", "following"], page: Query[Pages.Input]):
    result = feed_page(tab, request.user, page.offset, page.limit)
    return {"items": result.posts, "count": result.count, "limit_reached": result.limit_reached}
