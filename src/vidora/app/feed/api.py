"""The feed in the native JSON API."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from vidora.app.api.auth import PUBLIC
from vidora.app.feed.models import SeeLess
from vidora.app.feed.ranking import FEEDS
from vidora.app.pagination import Pages
from vidora.app.social.api import PostOut
from vidora.app.social.models import Post

router = Router(tags=["feed"])


@router.get("/feed/{tab}", response=list[PostOut], auth=PUBLIC,
            summary="For You (ranked) or Following (newest first; empty unless signed in)")
@paginate(Pages)
def feed(request, tab: Literal["for-you", "following"]):
    return FEEDS[tab](request.user)


@router.post("/feed/see-less/{post_id}", response={204: None},
             summary="See less like this: the post leaves your feed and its author ranks lower")
def see_less(request, post_id: str):
    SeeLess.objects.get_or_create(user=request.user, post=get_object_or_404(Post, pk=post_id))
    return Status(204, None)
