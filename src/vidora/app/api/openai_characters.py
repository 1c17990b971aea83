"""OpenAI's video characters at /v1/videos/characters: ``client.videos.create_character(name=..., video=...)`` makes
a character cameo (a pet, an object, a drawn character) as the cameos app does, and ``get_character(id)`` reads it.

A character goes into a video by its @handle in the prompt (Vidora's answer carries it besides OpenAI's fields).

(No postponed annotations here: django-ninja reads ``File[UploadedFile]`` at import.)
"""

from ninja import Field, File, Form, NinjaAPI, Schema
from ninja.files import UploadedFile

from vidora.app.api.errors import ApiError
from vidora.app.cameos import services
from vidora.app.cameos.api import checked_clip
from vidora.app.cameos.models import Cameo
from vidora.app.ratelimits import limit_cameos

ID_PREFIX = "char_"
PARAMS = {"file": "video", "handle": "name", "name": "name"}  # the cameos app's fields, as OpenAI names them


class Character(Schema):
    id: str
    created_at: int
    name: str
    handle: str = Field(description="Vidora: write @handle in a prompt to put the character in the video")

    @staticmethod
    def resolve_id(cameo: Cameo) -> str:
        return ID_PREFIX + cameo.handle

    @staticmethod
    def resolve_created_at(cameo: Cameo) -> int:
        return int(cameo.created_at.timestamp())


def create_character(request, name: Form[str], video: File[UploadedFile]):
    name = name.strip()
    if not 1 <= len(name) <= services.MAX_NAME:
        raise ApiError(400, f"name: give the character a name of 1 to {services.MAX_NAME} characters", "name")
    try:
        return services.create_character(request.user, services.handle_from_name(name, request.user),
                                         checked_clip(video, "video"), name)
    except services.CameoError as exc:
        field, _, reason = str(exc).partition(": ")
        param = PARAMS.get(field)
        raise ApiError(400, f"{param}: {reason}" if param else str(exc), param) from None


def get_character(request, character_id: str):
    cameo = (request.user.cameos.filter(kind=Cameo.Kind.CHARACTER, handle=character_id.removeprefix(ID_PREFIX))
             .exclude(status=Cameo.Status.DELETED).first() if character_id.startswith(ID_PREFIX) else None)
    if cameo is None:
        raise ApiError(404, f"No character found with id '{character_id}'.", param="character_id")
    return cameo


def install(api: NinjaAPI) -> None:
    """Add the routes to ``api``; before its /videos/{video_id} ones, which would otherwise take these paths."""
    api.post("/videos/characters", response=Character, tags=["characters"],
             summary="Create a character from a short clip (or an image) and a name")(limit_cameos(create_character))
    api.get("/videos/characters/{character_id}", response=Character, tags=["characters"],
            summary="One of your characters")(get_character)
