"""Export a generated video with all its provenance: the one call the CLI and the app make.

``stamp`` draws the visible mark (if on), embeds the invisible watermark, writes the MP4, records
its fingerprints in the instance's index and signs it with C2PA, in that order, so that what is
fingerprinted and signed is exactly what users get. The engine knows nothing of this.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from vidora.errors import VidoraError
from vidora.media import write_mp4
from vidora.media.atomic import atomic_output
from vidora.provenance.fingerprint import AudioFingerprint, VideoFingerprint
from vidora.provenance.manifest import Generation, sign_mp4
from vidora.provenance.payload import Payload
from vidora.provenance.settings import ProvenanceSettings
from vidora.provenance.visible import add_visible_mark
from vidora.provenance.watermark import MIN_EMBED_SIDE, embed_watermark

log = logging.getLogger(__name__)


class Rendered(Protocol):
    """What ``stamp`` needs of a generation (``vidora.engine.GenerationResult`` has it)."""

    frames: np.ndarray
    audio: np.ndarray | None
    fps: int
    audio_rate: int
    prompt: str
    task: str


@dataclass
class StampedVideo:
    path: Path
    video_id: str
    payload: Payload
    frames: np.ndarray  # as exported: with the visible mark and the invisible watermark
    watermarked: bool  # False for frames smaller than the invisible watermark needs


def new_video_id() -> str:
    """An id in the app's format, for videos made outside it (the CLI)."""
    return f"video_{secrets.token_hex(12)}"


def model_name(name_or_path: str | Path) -> str:
    """How a model is named in manifests: "builtin" or its directory's name (never a local path)."""
    return Path(str(name_or_path)).name or str(name_or_path)


def stamp(
    result: Rendered,
    out: str | Path,
    *,
    video_id: str,
    handle: str,
    model: str,
    parents: Sequence[str | Path] = (),
    settings: ProvenanceSettings | None = None,
    visible_mark: bool | None = None,
) -> StampedVideo:
    """Write ``result`` to ``out`` as a marked, watermarked, indexed and C2PA-signed MP4.

    ``handle`` is shown in the visible mark; ``parents`` are the MP4s a remix or extension came
    from (their manifests become ingredients); ``visible_mark`` overrides the setting.
    """
    settings = settings or ProvenanceSettings.from_env()
    out = Path(out)
    parent_paths = tuple(Path(p) for p in parents)
    for parent in parent_paths:
        if not parent.is_file():
            raise VidoraError(f"parent video not found: {parent}")
    credentials = settings.credentials.ensure()
    index = settings.index
    payload = Payload.for_video(index.instance_id, video_id)

    frames = result.frames
    if settings.visible_mark if visible_mark is None else visible_mark:
        frames = add_visible_mark(frames, result.fps, handle)
    watermarked = min(frames.shape[1:3]) >= MIN_EMBED_SIDE
    if watermarked:
        frames = embed_watermark(frames, int(payload))
    else:
        log.warning("%s: %dx%d frames are too small for the invisible watermark", video_id, frames.shape[2], frames.shape[1])

    generation = Generation(video_id=video_id, model=model, task=result.task, prompt=result.prompt,
                            payload=payload.hex, handle=handle, parents=parent_paths)
    with tempfile.TemporaryDirectory(prefix=".stamp-", dir=out.parent if out.parent.is_dir() else None) as tmp:
        plain = write_mp4(Path(tmp) / out.name, frames, result.fps, result.audio, result.audio_rate)
        with atomic_output(out) as signed:
            sign_mp4(plain, signed, credentials, generation)
            # Indexed before the file appears, so a video that exists can always be traced.
            index.add(video_id, VideoFingerprint.of(frames, result.fps), AudioFingerprint.of(result.audio, result.audio_rate),
                      info={"handle": handle, "model": model, "task": result.task, "watermarked": watermarked})
    return StampedVideo(out, video_id, payload, frames, watermarked)
