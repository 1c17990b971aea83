"""Cameos in the native JSON API (/api/cameos): make them, share them on your terms, see and remove their uses."""

from datetime import datetime, timedelta
from typing import Literal

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from vidora.app.api.errors import ApiError
from vidora.app.cameos import services
from vidora.app.cameos.forms import MAX_CLIP_BYTES
from vidora.app.cameos.models import Cameo, CameoEvent
from vidora.app.pagination import Pages
from vidora.app.ratelimits import limit_cameos

router = Router(tags=["cameos"])


class CameoOut(Schema):
    handle: str
    name: str
    kind: str
    owner: str | None = Field(description="The owner's handle; null for Vidora's world characters")
    status: str = Field(description="verifying, active or failed")
    problems: list[str] = Field(description="When verification failed: what to redo")
    audience: str | None = Field(description="Who may use it (only_me, approved, mutuals, everyone); owner only")
    approved: list[str] | None = Field(description="Handles of the people approved; owner only")
    restrictions: str
    revoked: bool
    reference_url: str | None
    created_at: datetime

    @staticmethod
    def resolve_owner(cameo: Cameo) -> str | None:
        return cameo.owner.handle if cameo.owner_id else None

    @staticmethod
    def resolve_audience(cameo: Cameo, context) -> str | None:
        return cameo.audience if _owns(context, cameo) else None

    @staticmethod
    def resolve_approved(cameo: Cameo, context) -> list[str] | None:
        return sorted(cameo.approved.values_list("username", flat=True)) if _owns(context, cameo) else None

    @staticmethod
    def resolve_revoked(cameo: Cameo) -> bool:
        return cameo.revoked_at is not None

    @staticmethod
    def resolve_reference_url(cameo: Cameo) -> str | None:
        ready = cameo.status == Cameo.Status.ACTIVE
        return reverse("cameos:reference", args=[cameo.handle]) if ready else None


def _owns(context, cameo: Cameo) -> bool:
    return cameo.owner_id is not None and cameo.owner_id == context["request"].user.pk


class ChallengeOut(Schema):
    phrase: str = Field(description="Read it aloud in the recording, then turn your head left and right")
    expires_at: datetime


class PermissionsIn(Schema):
    audience: Literal["only_me", "approved", "mutuals", "everyone"] | None = None
    approved: list[str] | None = Field(None, max_length=500, description="Handles of the people you approve")
    restrictions: str | None = Field(None, max_length=1000, description="e.g. \"no political content; no alcohol\"")


class PermissionsOut(Schema):
    cameo: CameoOut
    cancelled: list[str] = Field(description="Queued or running generations cancelled because they are no longer allowed")


class UseOut(Schema):
    cameo: str = Field(alias="cameo.handle")
    generation_id: str
    by: str = Field(alias="generation.owner.username")
    prompt: str = Field(alias="generation.prompt")
    status: str = Field(alias="generation.status")
    named: bool = Field(description="Named by @handle (else shown by the video it remixes or extends)")
    post_id: str | None
    created_at: datetime

    @staticmethod
    def resolve_post_id(use) -> str | None:
        post = getattr(use.generation, "post", None)
        return post.pk if post else None


class EventOut(Schema):
    action: str
    actor: str | None
    generation_id: str
    detail: str
    created_at: datetime

    @staticmethod
    def resolve_actor(event: CameoEvent) -> str | None:
        return event.actor.handle if event.actor_id else None


def own(request, handle: str) -> Cameo:
    """The caller's own cameo; anyone else's is a 404."""
    return get_object_or_404(Cameo.objects.exclude(status=Cameo.Status.DELETED), handle=handle.lower(), owner=request.user)


def checked_clip(upload: UploadedFile, field: str) -> UploadedFile:
    if upload.size > MAX_CLIP_BYTES:
        raise ApiError(400, f"{field}: keep it under {MAX_CLIP_BYTES // 2**20} MB (a few seconds of video)", param=field)
    return upload


def _as_api_error(exc: services.CameoError) -> ApiError:
    field, _, _ = str(exc).partition(":")
    return ApiError(400, str(exc), param=field if field in ("handle", "name", "file", "challenge", "audience") else None)


@router.get("/cameos", response=list[CameoOut], summary="Cameos you may use (mine=true: your own, in any state)")
@paginate(Pages)
def list_cameos(request, mine: bool = False):
    if mine:
        return request.user.cameos.exclude(status=Cameo.Status.DELETED).select_related("owner")
    return services.usable_cameos(request.user).select_related("owner")


@router.post("/cameos/challenge", response={201: ChallengeOut}, summary="A phrase to read in your cameo recording")
def challenge(request):
    issued = services.issue_challenge(request.user)
    return Status(201, {"phrase": issued.phrase,
                        "expires_at": issued.created_at + timedelta(minutes=services.CHALLENGE_MINUTES)})


@router.post("/cameos/verify", response={202: CameoOut},
             summary="Send your recording (the challenge read aloud, then a head turn); poll the cameo for the result")
@limit_cameos
def verify(request, recording: File[UploadedFile], handle: Form[str] = "", name: Form[str] = ""):
    try:
        return Status(202, services.submit_recording(request.user, checked_clip(recording, "recording"), handle or None, name))
    except services.CameoError as exc:
        raise _as_api_error(exc) from None


@router.post("/cameos/characters", response={201: CameoOut},
             summary="A cameo of a pet, an object or a drawn character from an image or a short clip")
@limit_cameos
def create_character(request, file: File[UploadedFile], handle: Form[str], name: Form[str] = ""):
    try:
        return Status(201, services.create_character(request.user, handle, checked_clip(file, "file"), name))
    except services.CameoError as exc:
        raise _as_api_error(exc) from None


@router.get("/cameos/{handle}", response=CameoOut, summary="One of your cameos, or one you may use")
def retrieve(request, handle: str):
    cameo = Cameo.objects.filter(handle=handle.lower()).exclude(status=Cameo.Status.DELETED).first()
    if cameo is None or not (cameo.owner_id == request.user.pk or services.may_use(cameo, request.user)):
        raise ApiError(404, f"No cameo @{handle} that you may see.", param="handle")
    return cameo


@router.patch("/cameos/{handle}", response=PermissionsOut,
              summary="Who may use your cameo and on what terms; jobs no longer allowed are cancelled")
def update(request, handle: str, body: PermissionsIn):
    cameo = own(request, handle)
    approved = None
    if body.approved is not None:
        handles = {h.lstrip("@").lower() for h in body.approved}
        approved = list(get_user_model().objects.filter(username__in=handles))
        if missing := handles - {u.username for u in approved}:
            raise ApiError(400, f"approved: no such account {', '.join('@' + h for h in sorted(missing))}", "approved")
    try:
        cancelled = services.set_permissions(cameo, request.user, body.audience, body.restrictions, approved)
    except services.CameoError as exc:
        raise _as_api_error(exc) from None
    return {"cameo": cameo, "cancelled": cancelled}


@router.post("/cameos/{handle}/revoke", response=PermissionsOut,
             summary="Revoke: nobody may use it; queued and running jobs with it are cancelled")
def revoke(request, handle: str):
    cameo = own(request, handle)
    return {"cameo": cameo, "cancelled": services.revoke(cameo, request.user)}


@router.post("/cameos/{handle}/restore", response=CameoOut, summary="Allow a revoked cameo again")
def restore(request, handle: str):
    cameo = own(request, handle)
    services.restore(cameo, request.user)
    return cameo


@router.delete("/cameos/{handle}", response={204: None},
               summary="Delete your cameo (remove_videos=true: and every video that uses it)")
def delete(request, handle: str, remove_videos: bool = False):
    services.delete_cameo(own(request, handle), request.user, remove_videos=remove_videos)
    return Status(204, None)


@router.get("/cameos/{handle}/uses", response=list[UseOut], summary="Every draft and post, by anyone, that uses your cameo")
@paginate(Pages)
def uses(request, handle: str):
    return own(request, handle).uses.select_related("cameo", "generation__owner", "generation__post")


@router.delete("/cameos/{handle}/uses/{generation_id}", response={204: None},
               summary="Remove a video that uses your cameo from Vidora, whoever made it (logged)")
def remove_use(request, handle: str, generation_id: str):
    cameo = own(request, handle)
    use = cameo.uses.select_related("generation__owner").filter(generation_id=generation_id).first()
    if use is None:
        raise ApiError(404, f"No video {generation_id} uses @{cameo.handle}.", param="generation_id")
    services.remove_use(cameo, use.generation, request.user)
    return Status(204, None)


@router.get("/cameos/{handle}/events", response=list[EventOut], summary="Your cameo's log: consent changes, cancellations, removals")
@paginate(Pages)
def events(request, handle: str):
    return own(request, handle).events.select_related("actor")
