"""Cameo consent: who may put a cameo in a video, the @handles in prompts, and what happens when consent changes.

Every way a video is asked for (the studio, both APIs, remixes, extensions, storyboards, edits of a queued job)
goes through ``cameos_for``; the worker asks again when a job starts and before it delivers (``check_generation``),
and every change of consent cancels the queued and running jobs it no longer allows (``enforce``).
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction
from functools import lru_cache

import numpy as np
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image

from vidora.app.cameos.models import Cameo, CameoEvent, CameoUse, Challenge
from vidora.app.provenance import provenance_settings
from vidora.app.quotas.services import refund
from vidora.app.social.models import Follow
from vidora.app.studio.models import Generation
from vidora.app.studio.services import GenerationRequestError, delete_generation, texts_of
from vidora.app.uploads import on_disk
from vidora.cameos import (CHARACTER_FACE_DISTANCE, face_distance, face_embeddings, faces_in, new_challenge,
                           read_character_upload, reference_from_upload)
from vidora.cameos.recording import SPEECH_RATE, read_recording
from vidora.cameos.restrictions import breached
from vidora.errors import VidoraError
from vidora.media.images import sample_indices

# "@handle": not inside an e-mail address or another handle; a handle never ends with "." (sentence ends do).
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.]*[A-Za-z0-9_])")
CHALLENGE_MINUTES = 10
MAX_HANDLE = Cameo._meta.get_field("handle").max_length
MAX_NAME = Cameo._meta.get_field("name").max_length  # OpenAI's characters take 80
MAX_CAMEOS_PER_VIDEO = 1  # the engine takes one reference picture
WORLD_SPRITE_SIDE = 256  # as `vidora world character` exports them
PENDING = (Generation.Status.QUEUED, Generation.Status.IN_PROGRESS)
Audience = Cameo.Audience
Action = CameoEvent.Action


class CameoError(ValueError):
    """A cameo action that cannot be done; the message says why."""


class CameoPermissionDenied(GenerationRequestError):
    """A generation would use a cameo its requester may not use (or on terms its owner refuses)."""

    status = 403
    code = "cameo_permission_denied"

    def __init__(self, message: str, param: str = "prompt"):
        super().__init__(message)
        self.param = param


# --- who may use a cameo ---------------------------------------------------------------------------------------


def may_use(cameo: Cameo, user) -> bool:
    """Whether ``user`` may put ``cameo`` in a video now: it is verified and not revoked, and its audience has them."""
    if not cameo.is_usable:
        return False
    if cameo.owner_id is None or cameo.owner_id == user.pk or cameo.audience == Audience.EVERYONE:
        return True
    if cameo.audience == Audience.APPROVED:
        return cameo.approved.filter(pk=user.pk).exists()
    if cameo.audience == Audience.MUTUALS:
        return (Follow.objects.filter(follower=user, followee_id=cameo.owner_id).exists()
                and Follow.objects.filter(follower_id=cameo.owner_id, followee=user).exists())
    return False


def usable_cameos(user):
    """Every cameo ``user`` may put in a video (for pickers and the API's list)."""
    mutual_owners = Follow.objects.filter(follower=user, followee__following__followee=user).values("followee")
    audience = (Q(owner=None) | Q(owner=user) | Q(audience=Audience.EVERYONE)
                | Q(audience=Audience.APPROVED, approved=user) | Q(audience=Audience.MUTUALS, owner__in=mutual_owners))
    return (Cameo.objects.filter(audience, status=Cameo.Status.ACTIVE, revoked_at=None)
            .distinct().order_by("kind", "handle"))


def mentioned_handles(text: str) -> list[str]:
    """The @handles in ``text``, lower-cased, each once, in order."""
    return list(dict.fromkeys(match.lower() for match in MENTION.findall(text)))


@dataclass(frozen=True)
class Sighting:
    """A cameo that an uploaded input shows, how we know (``how`` starts a sentence about it), and the input."""

    cameo: Cameo
    how: str
    param: str


@dataclass
class CameoChoice:
    """The cameos a generation uses: named in its text, and shown by the video it starts from (``inherited``), of
    which ``in_inputs`` are the ones its uploaded image or video shows."""

    named: list[Cameo]
    inherited: list[Cameo]
    in_inputs: list[Cameo] = field(default_factory=list)


def cameos_for(user, texts: list[str], source: Generation | None = None,
               sightings: list[Sighting] = ()) -> CameoChoice:
    """The cameos a generation of ``user`` with ``texts`` (prompt, shot prompts) from ``source``, whose uploaded
    inputs show the cameos of ``sightings`` (see ``cameos_in_upload``), uses.

    Raises CameoPermissionDenied naming the cameo when one is not theirs to use, its owner's restrictions refuse
    the text, or more cameos are named than the engine can place.
    """
    handles = list(dict.fromkeys(h for text in texts for h in mentioned_handles(text)))
    found = {c.handle: c for c in Cameo.objects.filter(handle__in=handles).select_related("owner")}
    named = []
    for handle in handles:
        cameo = found.get(handle)
        if cameo is None or not may_use(cameo, user):
            raise CameoPermissionDenied(
                f"@{handle}: you may not use this cameo (there is no such cameo, or its owner has not given you "
                "permission). Only cameos their owners share with you can be in your videos.")
        named.append(cameo)
    if len(named) > MAX_CAMEOS_PER_VIDEO:
        raise CameoPermissionDenied(f"{', '.join('@' + c.handle for c in named)}: a video can star one cameo "
                                    "(the model places one reference picture); name one of them.")
    inherited = []
    if source is not None:
        for cameo in Cameo.objects.filter(uses__generation=source).select_related("owner"):
            if not may_use(cameo, user):
                raise CameoPermissionDenied(f"This video shows the cameo @{cameo.handle}, which you may not use: its "
                                            "owner has not given you permission, or has withdrawn it.")
            if cameo not in named:
                inherited.append(cameo)
    for sighting in sightings:
        if not may_use(sighting.cameo, user):
            raise CameoPermissionDenied(f"{sighting.how} @{sighting.cameo.handle}, which you may not use: its owner has "
                                        "not given you permission, or has withdrawn it. A cameo appears in videos only "
                                        "with its owner's permission, whichever way it comes in.", sighting.param)
        if sighting.cameo not in named + inherited:
            inherited.append(sighting.cameo)
    for cameo in named + inherited:
        if cameo.owner_id not in (None, user.pk):
            for text in texts:
                if clause := breached(cameo.restrictions, text):
                    raise CameoPermissionDenied(f"@{cameo.handle}'s owner does not allow this: \"{clause}\". "
                                                "Change the prompt or leave the cameo out.")
    return CameoChoice(named, inherited, list(dict.fromkeys(s.cameo for s in sightings)))


def record_uses(generation: Generation, choice: CameoChoice) -> None:
    """Link the generation to every cameo it shows (replacing earlier links: a queued job may be edited)."""
    CameoUse.objects.filter(generation=generation).delete()
    CameoUse.objects.bulk_create([CameoUse(cameo=c, generation=generation, named=c in choice.named,
                                           in_input=c in choice.in_inputs)
                                  for c in choice.named + choice.inherited])


def cameos_of(generation: Generation) -> CameoChoice:
    """``cameos_for`` a saved generation: its texts, its source, and the cameos its uploads showed when it was asked
    for (recorded then: the upload is not looked at again)."""
    shown = generation.cameo_uses.filter(in_input=True).select_related("cameo__owner")
    return cameos_for(generation.owner, texts_of(generation), generation.source,
                      [Sighting(use.cameo, "Its upload shows the cameo", "prompt") for use in shown])


def check_generation(generation: Generation) -> None:
    """Ask again, as the worker starts or delivers a job: may its owner still use every cameo it shows?"""
    choice = cameos_of(generation)
    now = set(choice.named + choice.inherited)
    recorded = {use.cameo for use in generation.cameo_uses.select_related("cameo")}
    for cameo in recorded - now:  # queued with a cameo that is no longer named or inherited (deleted, say)
        if not may_use(cameo, generation.owner):
            raise CameoPermissionDenied(f"@{cameo.handle}: its owner has withdrawn permission.")
    if recorded != now:
        record_uses(generation, choice)


def by_name(text: str) -> str:
    """``text`` with each cameo's @handle replaced by its name, as the model's captions call characters."""
    names = dict(Cameo.objects.filter(handle__in=mentioned_handles(text)).values_list("handle", "name"))
    return MENTION.sub(lambda m: names.get(m[1].lower()) or m[0], text)


def reference_for(generation: Generation) -> np.ndarray | None:
    """The reference picture the engine receives: the named cameo's (RGBA uint8), or None."""
    use = generation.cameo_uses.filter(named=True).select_related("cameo").first()
    return None if use is None else np.asarray(picture(use.cameo))


def picture(cameo: Cameo) -> Image.Image:
    """The cameo's reference picture (RGBA): its stored PNG, or a world character's sprite."""
    if cameo.kind == Cameo.Kind.WORLD:
        from vidora.world.characters import sprite

        return Image.fromarray(sprite(cameo.world_character, WORLD_SPRITE_SIDE), "RGBA")
    with cameo.reference.open("rb") as f, Image.open(f) as image:
        return image.convert("RGBA")


# --- consent changes and what they cancel -----------------------------------------------------------------------


def log(cameo: Cameo, actor, action: str, generation_id: str = "", detail: str = "") -> CameoEvent:
    return CameoEvent.objects.create(cameo=cameo, handle=cameo.handle, actor=actor, action=action,
                                     generation_id=generation_id, detail=detail)


def enforce(cameo: Cameo, actor=None) -> list[str]:
    """Cancel every queued or running job that shows ``cameo`` and is no longer allowed; returns their ids.

    A running job notices at its next progress step and stops; either way the worker does not deliver it.
    """
    cancelled = []
    for use in cameo.uses.filter(generation__status__in=PENDING).select_related("generation__owner", "generation__source"):
        generation = use.generation
        try:
            check_generation(generation)
        except CameoPermissionDenied as refusal:
            if cancel(generation, f"Cancelled: {refusal}"):
                cancelled.append(generation.pk)
                log(cameo, actor, Action.CANCELLED, generation.pk, f"@{generation.owner.handle}: {generation.prompt}")
    return cancelled


def cancel(generation: Generation, message: str) -> bool:
    """Fail a queued or running generation for a cameo's sake and give its requester back what it cost (the free
    use or the credit); False when it had already finished."""
    cancelled = Generation.objects.filter(pk=generation.pk, status__in=PENDING).update(
        status=Generation.Status.FAILED, error_code=CameoPermissionDenied.code, error=message,
        completed_at=timezone.now())
    if cancelled:
        refund(generation)
    return bool(cancelled)


@transaction.atomic
def set_permissions(cameo: Cameo, actor, audience: str | None = None, restrictions: str | None = None,
                    approved: list | None = None) -> list[str]:
    """Change who may use the cameo and on what terms; jobs no longer allowed are cancelled (ids returned)."""
    changes = []
    if audience is not None and audience != cameo.audience:
        if audience not in Audience.values:
            raise CameoError(f"audience: must be one of {', '.join(Audience.values)}")
        changes.append(f"audience {cameo.audience} -> {audience}")
        cameo.audience = audience
    if restrictions is not None and restrictions.strip() != cameo.restrictions:
        cameo.restrictions = restrictions.strip()
        changes.append(f"restrictions: {cameo.restrictions or '(none)'}")
    cameo.save()
    if approved is not None:
        before = set(cameo.approved.values_list("pk", flat=True))
        cameo.approved.set(approved)
        after = {user.pk for user in approved}
        for verb, ids in (("approved", after - before), ("no longer approved", before - after)):
            if ids:
                handles = get_user_model().objects.filter(pk__in=ids).values_list("username", flat=True)
                changes.append(f"{verb}: {', '.join('@' + h for h in sorted(handles))}")
    if changes:
        log(cameo, actor, Action.PERMISSIONS, detail="; ".join(changes))
    return enforce(cameo, actor)


@transaction.atomic
def revoke(cameo: Cameo, actor) -> list[str]:
    """Withdraw consent: nobody may use the cameo from now on; queued and running jobs with it are cancelled."""
    if cameo.revoked_at is None:
        cameo.revoked_at = timezone.now()
        cameo.save(update_fields=["revoked_at"])
        log(cameo, actor, Action.REVOKED)
    return enforce(cameo, actor)


def restore(cameo: Cameo, actor) -> None:
    if cameo.revoked_at is not None:
        cameo.revoked_at = None
        cameo.save(update_fields=["revoked_at"])
        log(cameo, actor, Action.RESTORED)


def remove_use(cameo: Cameo, generation: Generation, actor) -> None:
    """The owner takes a video that shows their cameo off the platform: its files, post and row go at once."""
    if generation.status in PENDING:
        cancel(generation, f"Cancelled: @{cameo.handle}'s owner removed this video.")
    log(cameo, actor, Action.REMOVED, generation.pk,
        f"@{generation.owner.handle}{' (posted)' if hasattr(generation, 'post') else ''}: {generation.prompt}")
    delete_generation(generation)


@transaction.atomic
def delete_cameo(cameo: Cameo, actor, remove_videos: bool = False) -> None:
    """Delete the cameo: its picture and face data go, jobs with it are cancelled, and videos that show it can no
    longer be remixed or extended (a tombstone row remembers it). ``remove_videos`` also removes those videos."""
    handle = cameo.handle
    cameo.status = Cameo.Status.DELETED
    cameo.handle = f"deleted-{cameo.pk}"  # frees the handle; no mention can name it
    cameo.embedding, cameo.problems, cameo.restrictions = None, [], ""
    for field in (cameo.reference, cameo.recording):
        if field:
            field.delete(save=False)
    cameo.save()
    cameo.approved.clear()
    log(cameo, actor, Action.DELETED, detail=f"@{handle}")
    enforce(cameo, actor)
    if remove_videos:
        for use in list(cameo.uses.select_related("generation__owner")):
            remove_use(cameo, use.generation, actor)


# --- making cameos ----------------------------------------------------------------------------------------------


def check_handle(handle: str, owner) -> str:
    handle = handle.strip().lstrip("@").lower()
    try:
        Cameo._meta.get_field("handle").run_validators(handle)
    except ValidationError as exc:
        raise CameoError(f"handle: {exc.messages[0]}") from None
    if problem := handle_taken(handle, owner):
        raise CameoError(problem)
    return handle


def handle_taken(handle: str, owner) -> str | None:
    """Why ``owner`` cannot give a new cameo ``handle`` (another cameo's, or someone else's account's), or None."""
    if Cameo.objects.filter(handle=handle).exists():
        return f"handle: @{handle} is taken; choose another."
    if get_user_model().objects.filter(username=handle).exclude(pk=owner.pk).exists():
        return f"handle: @{handle} is someone else's account handle; choose another."
    return None


def handle_from_name(name: str, owner) -> str:
    """A free handle made of a display name, for callers that give only a name (OpenAI's characters API):
    "Detective Mira" is @detective_mira, else @detective_mira_2, and so on."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9_]+", "_", ascii_name).strip("_")[:MAX_HANDLE - 4] or "character"
    base = base if len(base) >= 3 else f"{base}_character"
    return next(handle for handle in (base if n == 1 else f"{base}_{n}" for n in itertools.count(1))
                if handle_taken(handle, owner) is None)


def issue_challenge(user) -> Challenge:
    """A new phrase to read in the recording (earlier ones stop counting)."""
    Challenge.objects.filter(user=user).delete()
    return Challenge.objects.create(user=user, phrase=new_challenge())


def current_challenge(user) -> Challenge | None:
    since = timezone.now() - timedelta(minutes=CHALLENGE_MINUTES)
    return Challenge.objects.filter(user=user, created_at__gte=since).order_by("-created_at").first()


@transaction.atomic
def submit_recording(user, recording, handle: str | None = None, name: str = "") -> Cameo:
    """Start verifying ``user``'s recording of the current challenge; a Celery job decides."""
    from vidora.app.cameos.tasks import verify_cameo

    challenge = current_challenge(user)
    if challenge is None:
        raise CameoError("challenge: ask for a challenge phrase first, then record within "
                         f"{CHALLENGE_MINUTES} minutes while reading it")
    existing = Cameo.objects.filter(owner=user, kind=Cameo.Kind.PERSON).exclude(status=Cameo.Status.DELETED).first()
    if existing is not None and existing.status != Cameo.Status.FAILED:
        raise CameoError(f"You already have a cameo of yourself (@{existing.handle}); delete it to record a new one.")
    if existing is not None:  # a failed attempt makes way for the new one
        existing.delete()
    cameo = Cameo(owner=user, kind=Cameo.Kind.PERSON, status=Cameo.Status.VERIFYING, name=name or user.name,
                  handle=check_handle(handle or user.handle, user), challenge=challenge.phrase)
    cameo.recording.save(recording.name or "recording.webm", recording, save=False)
    cameo.save()
    challenge.delete()  # one recording per phrase
    log(cameo, user, Action.CREATED, detail="recording submitted for verification")
    transaction.on_commit(lambda: verify_cameo.delay(cameo.pk))
    return cameo


def create_character(user, handle: str, upload, name: str = "") -> Cameo:
    """A cameo of a pet, an object or a drawn character from an image or a short clip (no verification)."""
    from vidora.app.moderation.services import PromptRefused, check_prompts

    handle = check_handle(handle, user)
    if len(name) > MAX_NAME:
        raise CameoError(f"name: {len(name)} characters; at most {MAX_NAME}")
    try:  # the engine reads the name in every prompt that uses the character: it cannot name a real person
        check_prompts(user, [name, handle])
    except PromptRefused as refusal:
        raise CameoError(f"name: {refusal}") from None
    with on_disk(upload) as path:
        try:
            character = read_character_upload(path)
        except VidoraError as exc:
            raise CameoError(f"file: {exc}") from None
    faces = faces_in(character)
    for face in faces:  # a person is in videos only through their own cameo, on their terms
        if (match := face_owner(face.embedding, CHARACTER_FACE_DISTANCE)) is None:
            continue
        if match.owner_id == user.pk:
            raise CameoError(f"file: this is your own face: use your verified cameo @{match.handle} instead.")
        raise CameoError("file: this picture shows the face of someone with a verified cameo. A person appears in "
                         "videos only through their own cameo, with their permission: ask them to share it with you.")
    if any(face.is_human() for face in faces):
        raise CameoError("file: this shows a real person's face, and a character cameo is a pet, an object or a "
                         "drawn character. To be in videos yourself, make a cameo of yourself instead (Create your "
                         "cameo, under Cameos); anyone else appears only through their own cameo.")
    cameo = Cameo(owner=user, kind=Cameo.Kind.CHARACTER, handle=handle, name=name or handle)
    cameo.reference.save(f"{handle}.png", ContentFile(png_bytes(character.picture)), save=False)
    with transaction.atomic():  # not the checks above: a refused name stays logged for moderators
        cameo.save()
        log(cameo, user, Action.CREATED, detail="character")
    return cameo


# An uploaded input is read at HASH_RATE frames a second (what reverse search compares), at most 480 pixels a side;
# the faces of a few of them, evenly spaced, are compared with the verified cameos.
INPUT_FACE_FRAMES = 4


def cameos_in_upload(upload, param: str) -> list[Sighting]:
    """The cameos an uploaded image or video (the ``param`` input) shows: those of the video of this instance it
    is a copy of (found by its invisible watermark, else by reverse search), and the verified person whose face is
    in it. Without this, a downloaded video, or a frame of it, would bring a cameo in with no permission asked."""
    from vidora.media import Clip
    from vidora.provenance import trace
    from vidora.provenance.fingerprint import HASH_RATE

    with on_disk(upload) as path:
        try:
            if param == "image":
                frames = [np.asarray(reference_from_upload(path).convert("RGB"))]
                clip = Clip(np.stack(frames), Fraction(HASH_RATE), None, 0)
            else:
                recording = read_recording(path, per_second=HASH_RATE)
                frames, duration = recording.frames, recording.times[-1]
                rate = Fraction((len(frames) - 1) / duration).limit_denominator(1000) if duration else Fraction(HASH_RATE)
                clip = Clip(np.stack(frames), rate, recording.audio.astype(np.float32) / 32768, SPEECH_RATE)
        except VidoraError as exc:
            raise GenerationRequestError(f"{param}: {exc}") from None
    found: dict[Cameo, Sighting] = {}  # each cameo once, with the first reason
    for cameo in shown_by_videos(trace(clip, provenance_settings())):
        found.setdefault(cameo, Sighting(cameo, f"The {param} you uploaded is a copy of a Vidora video that shows "
                                                "the cameo", param))
    for index in sample_indices(len(frames), INPUT_FACE_FRAMES):
        for face in face_embeddings(Image.fromarray(frames[index])):
            if (person := face_owner(face, CHARACTER_FACE_DISTANCE)) is not None:
                found.setdefault(person, Sighting(person, f"The {param} you uploaded shows the face of the person with "
                                                          "the verified cameo", param))
    return list(found.values())


def shown_by_videos(video_ids: list[str]) -> list[Cameo]:
    """The cameos that this instance's videos ``video_ids`` show: recorded uses, and for a video its owner removed
    from the platform, the cameo it was removed for (its copies still show it). Deleted cameos too: as with a
    remix, their tombstones refuse every use."""
    removed = CameoEvent.objects.filter(action=Action.REMOVED, generation_id__in=video_ids).values("cameo")
    return list(Cameo.objects.filter(Q(uses__generation__in=video_ids) | Q(pk__in=removed))
                .select_related("owner").distinct())


def face_owner(embedding, distance: float, exclude_owner=None) -> Cameo | None:
    """The verified person's cameo whose face lies within ``distance`` of ``embedding`` (revoked ones too: it is
    still their face), or None."""
    people = Cameo.objects.filter(kind=Cameo.Kind.PERSON, status=Cameo.Status.ACTIVE).exclude(embedding=None)
    if exclude_owner is not None:
        people = people.exclude(owner=exclude_owner)
    return next((c for c in people if face_distance(embedding, c.embedding) < distance), None)


@lru_cache(maxsize=None)
def world_png(index: int) -> bytes:
    """A world character's picture as PNG (rendered once per process: the roster never changes)."""
    from vidora.world.characters import sprite

    return png_bytes(Image.fromarray(sprite(index, WORLD_SPRITE_SIDE), "RGBA"))


def png_bytes(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def uses_of(owner):
    """Every generation, by anyone, that shows one of ``owner``'s cameos (drafts and posts), newest first."""
    return (CameoUse.objects.filter(cameo__owner=owner).exclude(cameo__status=Cameo.Status.DELETED)
            .select_related("cameo", "generation__owner", "generation__post"))
