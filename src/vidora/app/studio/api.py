"""The studio in the native JSON API (/api/generations): what the studio page does."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import FiniteFloat

from vidora.app.api.errors import ApiError
from vidora.app.api.parser import also_multipart, checked_image, checked_video
from vidora.app.downloads import file_response
from vidora.app.moderation.services import MODERATION_BLOCKED
from vidora.app.pagination import Pages
from vidora.app.quotas.services import CREDIT, queue_note
from vidora.app.ratelimits import limit_generations
from vidora.app.studio.models import Generation
from vidora.app.studio.services import (MAX_PROMPT_CHARS, MAX_SHOT_SECONDS, MAX_SHOTS, MIN_UPLOAD_STRENGTH,
                                        create_generation, delete_generation, edit_generation, new_generation)
from vidora.app.studio.views import CONTENT_TYPES, EXTEND_SECONDS
from vidora.engine import STYLES

router = Router(tags=["studio"])
Variant = Literal["video", "thumbnail", "spritesheet"]


class ShotIn(Schema):
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
    seconds: FiniteFloat = Field(gt=0, le=MAX_SHOT_SECONDS)


class GenerationIn(Schema):
    prompt: str = Field("", max_length=MAX_PROMPT_CHARS)
    seconds: FiniteFloat | None = Field(None, gt=0, description="The model refuses lengths it cannot make.")
    style: Literal[STYLES] | None = None
    speed: Literal["slow", "normal", "fast"] | None = None
    seed: int | None = Field(None, ge=0, le=2**31 - 1)
    storyboard: list[ShotIn] | None = Field(None, min_length=1, max_length=MAX_SHOTS,
                                            description="Shots cut together into one video; replaces seconds.")
    image: str | None = Field(None, description="First frame as a base64 data: URL (or upload it as multipart).")
    strength: FiniteFloat | None = Field(None, gt=0, le=1, description="With an uploaded `video` (multipart): remix it "
                                         f"this much (default 0.6, at least {MIN_UPLOAD_STRENGTH}).")
    extend: Literal["forward", "backward"] | None = Field(None, description="With an uploaded `video` (multipart): "
                                                          "extend it by `seconds` instead of remixing it.")
    use_credit: bool = Field(False, description="Pay with a credit even while free generations are left: "
                                                "credit-backed generations go ahead of free ones in the queue.")


class GenerationEdit(Schema):
    prompt: str | None = Field(None, max_length=MAX_PROMPT_CHARS)
    storyboard: list[ShotIn] | None = Field(None, min_length=1, max_length=MAX_SHOTS, description="A storyboard's new shots")


class ExtendIn(Schema):
    seconds: FiniteFloat = Field(EXTEND_SECONDS, gt=0)
    direction: Literal["forward", "backward"] = "forward"
    prompt: str | None = Field(None, max_length=MAX_PROMPT_CHARS, description="Defaults to the source's prompt.")


class GenerationOut(Schema):
    id: str
    task: str
    prompt: str
    options: dict
    status: str
    progress: int
    queue_position: int | None
    paid_with: Literal["free", "credit"] = Field(description="Credit-backed generations run before free ones")
    queue_note: str | None = Field(description="When demand is high, what that means for this generation's wait")
    error: str
    seconds: float | None
    width: int | None
    height: int | None
    source_id: str | None
    uploaded_frames: bool = Field(description="An extension of an uploaded video: it can be downloaded, not posted")
    post_id: str | None
    video_url: str | None
    thumbnail_url: str | None
    created_at: datetime
    completed_at: datetime | None

    @staticmethod
    def resolve_queue_position(g: Generation) -> int | None:
        return g.queue_position()

    @staticmethod
    def resolve_paid_with(g: Generation) -> str:
        return "credit" if g.priority == CREDIT else "free"

    @staticmethod
    def resolve_queue_note(g: Generation) -> str | None:
        return queue_note(g)

    @staticmethod
    def resolve_post_id(g: Generation) -> str | None:
        post = getattr(g, "post", None)
        return post.pk if post else None

    @staticmethod
    def resolve_video_url(g: Generation) -> str | None:
        return content_url(g, "video")

    @staticmethod
    def resolve_thumbnail_url(g: Generation) -> str | None:
        return content_url(g, "thumbnail")


def content_url(g: Generation, variant: str) -> str | None:
    return reverse("api:generation_content", args=[g.id]) + f"?variant={variant}" if getattr(g, variant) else None


def own(request, generation_id: str) -> Generation:
    """The caller's own generation; anyone else's is a 404, never a 403."""
    return get_object_or_404(Generation.objects.select_related("post"), pk=generation_id, owner=request.user)


@router.post("/generations", response={201: GenerationOut},
             openapi_extra=also_multipart(GenerationIn, ("image", "video")),
             summary="Queue a generation: text, image (first frame), storyboard, or an uploaded MP4 to remix or extend")
@limit_generations
def create(request, body: GenerationIn):
    image = checked_image(request, "image", body.image)
    video = checked_video(request, "video")
    shots = [shot.dict() for shot in body.storyboard] if body.storyboard else None
    options = body.dict(include={"seconds", "style", "speed", "seed", "strength", "extend"})
    return Status(201, new_generation(request.user, body.prompt, image=image, video=video, shots=shots,
                                      use_credit=body.use_credit, **options))


@router.get("/generations", response=list[GenerationOut], summary="Your generations, newest first")
@paginate(Pages)
def list_generations(request):
    return request.user.generations.select_related("post")


@router.get("/generations/{generation_id}", response=GenerationOut, summary="A generation: status, progress, queue")
def retrieve(request, generation_id: str):
    return own(request, generation_id)


@router.patch("/generations/{generation_id}", response=GenerationOut,
              summary="Change what a queued generation asks for (its prompt, or a storyboard's shots)")
def edit(request, generation_id: str, body: GenerationEdit):
    shots = [shot.dict() for shot in body.storyboard] if body.storyboard else None
    return edit_generation(own(request, generation_id), body.prompt, shots)


@router.get("/generations/{generation_id}/content", url_name="generation_content",
            response={200: None}, openapi_extra={"responses": {"200": {"description": "The file (byte ranges work)"}}},
            summary="Download a generation's video, thumbnail or spritesheet")
def content(request, generation_id: str, variant: Variant = "video"):
    generation = own(request, generation_id)
    if generation.status == Generation.Status.HELD:
        raise ApiError(404, "This generation is held for review by a moderator.", code=MODERATION_BLOCKED)
    field = getattr(generation, variant)
    if not field:
        raise ApiError(404, f"This generation has no {variant} (yet).", param="variant")
    return file_response(request, field, CONTENT_TYPES[variant])


@router.post("/generations/{generation_id}/extend", response={201: GenerationOut},
             summary="Make a finished generation longer, forward or backward in time")
@limit_generations
def extend(request, generation_id: str, body: ExtendIn):
    source = own(request, generation_id)
    extension = create_generation(request.user, body.prompt or source.prompt, Generation.Task.EXTEND,
                                  {"seconds": body.seconds, "direction": body.direction}, source=source)
    return Status(201, extension)


@router.delete("/generations/{generation_id}", response={204: None}, summary="Delete a generation (and its post)")
def delete(request, generation_id: str):
    delete_generation(own(request, generation_id))
    return Status(204, None)
