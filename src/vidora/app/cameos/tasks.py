"""The Celery job that verifies a person's cameo recording."""

from __future__ import annotations

import logging
from contextlib import ExitStack

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from vidora.app.cameos.models import Cameo, CameoEvent
from vidora.app.cameos.services import face_owner, log, png_bytes
from vidora.app.studio.engine import local_copy
from vidora.cameos import SAME_FACE_DISTANCE, verify_recording
from vidora.errors import VidoraError

logger = logging.getLogger(__name__)
TAKEN = ("This face already has a cameo on another account. A person can have one cameo: if it is yours, delete "
         "the other one first.")


@shared_task(name="cameos.verify_cameo")
def verify_cameo(cameo_id: int) -> None:
    cameo = Cameo.objects.filter(pk=cameo_id, status=Cameo.Status.VERIFYING).select_related("owner").first()
    if cameo is None:  # deleted meanwhile, or a redelivered job
        return
    try:
        with ExitStack() as stack:
            result = verify_recording(local_copy(cameo.recording, stack), cameo.challenge)
        problems, stats = result.problems, result.stats
    except VidoraError as exc:
        problems, stats, result = [f"We could not read the recording ({exc}): record it again."], {}, None
    except Exception:
        logger.exception("verifying cameo %s failed", cameo_id)
        problems, stats, result = ["Verification failed on the server: record again; if it keeps failing, tell us."], {}, None
    if not problems and face_owner(result.embedding, SAME_FACE_DISTANCE, exclude_owner=cameo.owner):
        problems = [TAKEN]
    cameo.recording.delete(save=False)  # checked: the recording itself is not kept
    cameo.problems = problems
    if problems:
        cameo.status = Cameo.Status.FAILED
        cameo.save()
        log(cameo, cameo.owner, CameoEvent.Action.VERIFICATION_FAILED, detail=" ".join(problems) + f" {stats}")
        return
    cameo.reference.save(f"{cameo.handle}.png", ContentFile(png_bytes(result.reference)), save=False)
    cameo.embedding, cameo.status, cameo.verified_at = result.embedding, Cameo.Status.ACTIVE, timezone.now()
    cameo.save()
    log(cameo, cameo.owner, CameoEvent.Action.VERIFIED, detail=str(stats))

