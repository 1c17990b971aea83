"""OpenAI's Videos API at /v1, so code written for the `openai` package runs against Vidora with
``OpenAI(base_url="https://vidora.example/v1", api_key="vk-...")``.

Same paths, fields, statuses and error envelope as OpenAI's; what differs is in the README ("API"): the model
names map onto the one model this server runs, and sizes and lengths are whatever that model makes (the engine
refuses the rest, and the video fails with the engine's reason).
"""

import math
import re
from typing import Annotated, Literal

from django.db.models import Q
from ninja import Field, NinjaAPI, Query, Schema
from pydantic import AfterValidator, WithJsonSchema

from vidora.app.api import errors, openai_characters
from vidora.app.api.auth import bearer_key
from vidora.app.api.errors import ApiError
from vidora.app.api.parser import JsonOrFormParser, also_multipart, checked_image, checked_video
from vidora.app.downloads import file_response
from vidora.app.moderation.services import MODERATION_BLOCKED
from vidora.app.ratelimits import limit_generations
from vidora.app.studio.models import Generation
from vidora.app.studio.services import (MAX_PROMPT_CHARS, GenerationRequestError, create_generation,
                                        delete_generation, new_generation)
from vidora.app.studio.views import CONTENT_TYPES

api = NinjaAPI(
    title="Vidora: OpenAI-compatible Videos API",
    version="v1",
    description="OpenAI's Videos API on Vidora: point the `openai` package's `base_url` at `/v1` and use a Vidora "
                "API key. Model names `sora-2`, `sora-2-pro` (and their dated snapshots) run Vidora's model.",
    auth=[bearer_key],
    parser=JsonOrFormParser(),
    urls_namespace="v1",
)
errors.install(api, refusals=(GenerationRequestError,))
openai_characters.install(api)

MODEL = "vidora"
MODEL_NAMES = re.compile(r"^(vidora|sora-2(-pro)?(-\d{4}-\d{2}-\d{2})?)$")
DEFAULT_SECONDS = 4.0  # OpenAI's default length
SIZE = re.compile(r"^([1-9]\d{0,4})x([1-9]\d{0,4})$")


def _model(name: str) -> str:
    if not MODEL_NAMES.match(name):
        raise ValueError(f"unknown model {name!r}: this server runs one model, named \"{MODEL}\" "
                         "(\"sora-2\", \"sora-2-pro\" and their snapshots are accepted as names for it)")
    return name


def _seconds(value: str | float) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"must be a number of seconds like \"4\", got {value!r}") from None
    if not 0 < seconds < math.inf:
        raise ValueError(f"must be more than 0, got {value!r}")
    return seconds


def _size(value: str) -> list[int] | None:
    if value == "auto":
        return None
    match = SIZE.match(value)
    if match is None:
        raise ValueError(f"must be WIDTHxHEIGHT like \"1280x720\" (or \"auto\" for the model's own size), got {value!r}")
    return [int(match[1]), int(match[2])]


ModelName = Annotated[str, AfterValidator(_model)]
Seconds = Annotated[str | float, AfterValidator(_seconds),
                    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}], "examples": ["4"]})]
Size = Annotated[str, AfterValidator(_size), WithJsonSchema({"type": "string", "examples": ["128x128", "auto"]})]


class ImageReference(Schema):
    image_url: str | None = Field(None, description="A base64 data: URL (other URLs are not fetched)")
    file_id: str | None = Field(None, description="Not supported: this server has no Files API")


class VideoCreate(Schema):
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
    model: ModelName = MODEL
    seconds: Seconds = DEFAULT_SECONDS
    size: Size | None = None
    input_reference: ImageReference | None = Field(None, description="First frame; or upload it as multipart")


class VideoRemix(Schema):
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)


class VideoReference(Schema):
    id: str


class VideoExtend(Schema):
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
    seconds: Seconds = Field(description="Length of the new segment")
    video: VideoReference | None = Field(None, description="The completed video to extend (by id), or upload an MP4")


class VideoError(Schema):
    code: str
    message: str


class Video(Schema):
    id: str
    object: Literal["video"] = "video"
    created_at: int
    completed_at: int | None
    expires_at: int | None = None
    status: Literal["queued", "in_progress", "completed", "failed"]
    model: str = MODEL
    progress: int
    prompt: str
    seconds: str = Field(description="The finished video's length; until then the length asked for (or \"auto\")")
    size: str = Field(description="WIDTHxHEIGHT of the finished video; until then the size asked for (or \"auto\")")
    remixed_from_video_id: str | None
    error: VideoError | None

    @staticmethod
    def resolve_created_at(g: Generation) -> int:
        return int(g.created_at.timestamp())

    @staticmethod
    def resolve_completed_at(g: Generation) -> int | None:
        return int(g.completed_at.timestamp()) if g.completed_at else None

    @staticmethod
    def resolve_seconds(g: Generation) -> str:
        if g.seconds is not None:
            return f"{round(g.seconds, 2):g}"
        wanted = g.options.get("seconds")
        if "shots" in g.options:
            wanted = sum(shot["seconds"] for shot in g.options["shots"])
        elif g.task == Generation.Task.REMIX and g.source and g.source.seconds:
            wanted = g.source.seconds
        elif g.task == Generation.Task.EXTEND and g.source and g.source.seconds and wanted:
            wanted += g.source.seconds  # OpenAI reports an extension's stitched length
        return "auto" if wanted is None else f"{round(wanted, 2):g}"

    @staticmethod
    def resolve_size(g: Generation) -> str:
        if g.width and g.height:
            return f"{g.width}x{g.height}"
        size = g.options.get("size")
        return f"{size[0]}x{size[1]}" if size else "auto"

    @staticmethod
    def resolve_remixed_from_video_id(g: Generation) -> str | None:
        return g.source_id if g.task == Generation.Task.REMIX else None

    @staticmethod
    def resolve_status(g: Generation) -> str:
        return "failed" if g.status == Generation.Status.HELD else g.status  # OpenAI has no "held"

    @staticmethod
    def resolve_error(g: Generation) -> dict | None:
        if g.status == Generation.Status.HELD:
            return {"code": MODERATION_BLOCKED, "message": "Our checks flagged this video; it is held for review by a "
                                                           "moderator."}
        if g.status != Generation.Status.FAILED:
            return None
        return {"code": g.error_code or "internal_error", "message": g.error}


class VideoList(Schema):
    object: Literal["list"] = "list"
    data: list[Video]
    first_id: str | None
    last_id: str | None
    has_more: bool


class VideoDeleted(Schema):
    id: str
    object: Literal["video.deleted"] = "video.deleted"
    deleted: bool = True


def own_video(request, video_id: str, param: str = "video_id") -> Generation:
    video = Generation.objects.select_related("source").filter(pk=video_id, owner=request.user).first()
    if video is None:
        raise ApiError(404, f"No video found with id '{video_id}'.", param=param)
    return video


@api.post("/videos", response=Video, openapi_extra=also_multipart(VideoCreate, ("input_reference",)),
          summary="Create a video (multipart, as the openai package sends it, or JSON)")
@limit_generations
def create(request, body: VideoCreate):
    reference = body.input_reference
    if reference is not None and reference.file_id:
        raise ApiError(400, "input_reference.file_id: this server has no Files API; upload the image "
                            "(multipart) or give it as a data: URL in input_reference.image_url", "input_reference")
    image = checked_image(request, "input_reference", reference.image_url if reference else None)
    return new_generation(request.user, body.prompt, image=image, seconds=body.seconds, size=body.size)


@api.post("/videos/extensions", response=Video, openapi_extra=also_multipart(VideoExtend, ("video",)),
          summary="Extend a completed video, or an uploaded MP4, forward by `seconds`")
@limit_generations
def extend(request, body: VideoExtend):
    if (upload := checked_video(request, "video")) is not None:
        return new_generation(request.user, body.prompt, video=upload, extend="forward", seconds=body.seconds)
    if body.video is None:
        raise ApiError(400, "video: give the id of one of your completed videos (video[id] or {\"id\": ...}) "
                            "or upload an MP4", "video")
    source = own_video(request, body.video.id, param="video")
    return create_generation(request.user, body.prompt, Generation.Task.EXTEND,
                             {"seconds": body.seconds, "direction": "forward"}, source=source)


@api.get("/videos", response=VideoList, summary="Your videos, newest first unless order=asc")
def list_videos(request, after: str | None = None, limit: int = Query(20, ge=1, le=100),
                order: Literal["asc", "desc"] = "desc"):
    videos = request.user.generations.select_related("source")
    sign = "" if order == "asc" else "-"
    videos = videos.order_by(f"{sign}created_at", f"{sign}id")
    if after is not None:
        cursor = own_video(request, after, param="after")
        later = "gt" if order == "asc" else "lt"
        videos = videos.filter(Q(**{f"created_at__{later}": cursor.created_at})
                               | Q(created_at=cursor.created_at, **{f"id__{later}": cursor.id}))
    page = list(videos[: limit + 1])
    data = page[:limit]
    return {"data": data, "first_id": data[0].id if data else None, "last_id": data[-1].id if data else None,
            "has_more": len(page) > limit}


@api.get("/videos/{video_id}", response=Video, summary="A video: status and progress")
def retrieve(request, video_id: str):
    return own_video(request, video_id)


@api.delete("/videos/{video_id}", response=VideoDeleted, summary="Delete a video and its files")
def delete(request, video_id: str):
    delete_generation(own_video(request, video_id))
    return {"id": video_id}


@api.get("/videos/{video_id}/content", response={200: None},
         openapi_extra={"responses": {"200": {"description": "The MP4 or PNG (byte ranges work)"}}},
         summary="Download the video, its thumbnail or its spritesheet")
def content(request, video_id: str, variant: Literal["video", "thumbnail", "spritesheet"] = "video"):
    video = own_video(request, video_id)
    if video.status != Generation.Status.COMPLETED:
        raise ApiError(404, f"Video '{video_id}' has no content: its status is {video.status}.", param="video_id")
    if not getattr(video, variant):
        raise ApiError(404, f"Video '{video_id}' has no {variant}.", param="variant")
    return file_response(request, getattr(video, variant), CONTENT_TYPES[variant])


@api.post("/videos/{video_id}/remix", response=Video, summary="Remix a completed video with a new prompt")
@limit_generations
def remix(request, video_id: str, body: VideoRemix):
    source = own_video(request, video_id)
    return create_generation(request.user, body.prompt, Generation.Task.REMIX, source=source)
