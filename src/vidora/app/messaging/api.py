"""Direct messages in the native JSON API."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from vidora.app.messaging import services
from vidora.app.pagination import Pages
from vidora.app.social.models import Post

router = Router(tags=["messages"])


class MessageIn(Schema):
    text: str = Field("", max_length=services.MAX_TEXT)
    post_id: str | None = Field(None, description="A post to share")


class MessageOut(Schema):
    id: int
    sender: str = Field(alias="sender.username")
    text: str
    post_id: str | None
    created_at: datetime
    read_at: datetime | None


class ConversationOut(Schema):
    with_user: str
    started_by: str = Field(alias="started_by.username")
    last_message_at: datetime

    @staticmethod
    def resolve_with_user(conversation, context) -> str:
        return conversation.other(context["request"].user).username


def _account(handle: str):
    return get_object_or_404(get_user_model(), username=handle.lstrip("@").lower(), is_active=True)


@router.get("/messages", response=list[ConversationOut], summary="Your conversations, latest first")
@paginate(Pages)
def conversations(request):
    return services.conversations_of(request.user).select_related("started_by")


@router.get("/messages/{handle}", response=list[MessageOut], summary="Your messages with someone, oldest first")
@paginate(Pages)
def thread(request, handle: str):
    return services.thread(request.user, _account(handle))


@router.post("/messages/{handle}", response={201: MessageOut},
             summary="Send a message (text, a shared post, or both); adults cannot start one with a teen")
def send(request, handle: str, body: MessageIn):
    post = get_object_or_404(Post, pk=body.post_id) if body.post_id else None
    return Status(201, services.send(request.user, _account(handle), body.text, post))
