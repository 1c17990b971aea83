"""The Celery job that runs one generation and stores what it made."""

from __future__ import annotations

import logging
import tempfile
from contextlib import ExitStack
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import OperationalError, transaction
from django.utils import timezone

from vidora.app.cameos.services import CameoPermissionDenied, check_generation
from vidora.app.moderation import services as moderation
from vidora.app.provenance import provenance_settings
from vidora.app.quotas.services import refund
from vidora.app.studio import engine
from vidora.app.studio.models import QUEUE_ORDER, Generation
from vidora.errors import VidoraError
from vidora.media import save_contact_sheet, save_thumbnail

log = logging.getLogger(__name__)
Status = Generation.Status
REFUSED = "invalid_request"  # the engine would not make what was asked; the message names the parameter
SERVER_FAILURE = "internal_error"


def claim_next(generation_id: str) -> str | None:
    """Start the queued generation that should run now and return its id (None: nothing to run).

    Every queued generation has one job message; a job runs whichever queued generation ranks first
    (credit-backed before free, then oldest), which may be another's. Whose it was does not matter: there
    are always at least as many jobs as queued generations. A job whose own generation is gone (deleted)
    runs nothing, so a redelivered or deleted job never starts extra work.
    """
    if not Generation.objects.filter(pk=generation_id).exists():
        return None
    while True:
        candidate = Generation.objects.filter(status=Status.QUEUED).order_by(*QUEUE_ORDER).values_list("pk", flat=True).first()
        if candidate is None:
            return None
        # Another worker may claim the same row between the read and the update: then take the next one.
        if Generation.objects.filter(pk=candidate, status=Status.QUEUED).update(
                status=Status.IN_PROGRESS, started_at=timezone.now(), progress=0):
            return candidate


CLAIM_RETRIES = 20  # a second apart


@shared_task(name="studio.run_generation", bind=True, max_retries=CLAIM_RETRIES)
def run_generation(self, generation_id: str) -> None:
    try:
        generation_id = claim_next(generation_id)
    except OperationalError as exc:
        # SQLite answers "locked" at once while another connection writes: a job lost here would leave its
        # generation queued for good, and claiming is safe to repeat, so the job comes back.
        raise self.retry(exc=exc, countdown=1) from exc
    if generation_id is None:
        return
    generation = Generation.objects.select_related("source", "owner").get(pk=generation_id)
    if not _consented(generation):
        return
    shown = [0]

    def on_progress(fraction: float) -> None:
        percent = min(99, int(fraction * 100))
        if percent > shown[0]:  # a write only when the number grows
            try:
                updated = Generation.objects.filter(pk=generation_id, status=Status.IN_PROGRESS).update(progress=percent)
            except OperationalError:  # SQLite busy with a reader: progress is a hint, the next step writes it
                return
            shown[0] = percent
            if not updated:
                raise Cancelled  # deleted, or cancelled because a cameo's owner withdrew consent

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        try:
            result = engine.run(generation, on_progress)
        except Cancelled:
            return
        except VidoraError as exc:
            _fail(generation_id, REFUSED, str(exc))
            return
        except Exception:
            _server_failure(generation_id)
            return
        try:
            from vidora.provenance import model_name, stamp  # heavy (scipy.signal, c2pa): workers only, not web processes

            # Every video leaves marked, watermarked, indexed and signed; a remix or extension names its source.
            start = engine.video_input(generation)  # an upload or a source generation: named as the parent
            parents = [engine.local_copy(start, stack)] if start is not None else []
            video = stamp(result, folder / f"{generation_id}.mp4", video_id=generation_id, handle=generation.owner.handle,
                          model=model_name(settings.VIDORA["MODEL"]), parents=parents, settings=provenance_settings())
        except Exception:  # a provenance failure is the server's, whatever its kind
            _server_failure(generation_id)
            return
        try:
            frames_verdict = moderation.check_output(generation, video.frames)  # before anyone sees it
        except Exception:
            _server_failure(generation_id)
            return
        files = {
            "video": video.path,
            "thumbnail": save_thumbnail(video.frames, folder / f"{generation_id}.png"),
            "spritesheet": save_contact_sheet([video.frames], folder / f"{generation_id}-sprites.png", frames_per_clip=8),
        }
        with transaction.atomic():
            generation = Generation.objects.select_for_update().filter(pk=generation_id, status=Status.IN_PROGRESS).first()
            if generation is None or not _consented(generation):  # deleted or cancelled while it ran: not delivered
                return
            for field, path in files.items():
                with open(path, "rb") as f:
                    getattr(generation, field).save(path.name, File(f), save=False)
            held = frames_verdict is not None and frames_verdict.flagged
            generation.status = Status.HELD if held else Status.COMPLETED
            generation.progress, generation.completed_at = 100, timezone.now()
            generation.seconds = result.seconds
            generation.height, generation.width = result.frames.shape[1:3]
            generation.save()
            if held:
                moderation.hold(generation, frames_verdict)


class Cancelled(Exception):
    """The generation stopped being wanted while it ran."""


def _consented(generation: Generation) -> bool:
    """Whether its owner may still use every cameo it shows (asked as it starts and before it is delivered);
    if not, it fails with the cameo's reason."""
    try:
        check_generation(generation)
    except CameoPermissionDenied as refusal:
        _fail(generation.pk, refusal.code, f"Cancelled: {refusal}")
        return False
    return True


def _server_failure(generation_id: str) -> None:
    log.exception("generation %s failed", generation_id)
    _fail(generation_id, SERVER_FAILURE, "The generation failed on the server. Try again; if it keeps failing, tell us.")


def _fail(generation_id: str, code: str, message: str) -> None:
    """Fail the generation and give back what it cost (its free use or its credit)."""
    if Generation.objects.filter(pk=generation_id).exclude(status=Status.FAILED).update(
            status=Status.FAILED, error_code=code, error=message, completed_at=timezone.now()):
        if failed := Generation.objects.filter(pk=generation_id).first():
            refund(failed)
