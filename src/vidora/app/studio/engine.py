"""The one place the app calls the engine, through vidora's public Python API."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from django.conf import settings
from PIL import Image

import vidora
from vidora.app.cameos.services import by_name, reference_for
from vidora.engine import Shot

if TYPE_CHECKING:
    from vidora.engine import GenerationResult, VideoPipeline


@lru_cache(maxsize=1)
def pipeline() -> VideoPipeline:
    """The model named by VIDORA_MODEL, loaded once per worker process (the web process never loads torch)."""
    return vidora.VideoPipeline.from_pretrained(settings.VIDORA["MODEL"])


def run(generation, on_progress: Callable[[float], None]) -> GenerationResult:
    """Generate what ``generation`` asks for; engine errors (SpecError, MediaError) propagate with their message."""
    options = generation.options
    kwargs = {key: options[key] for key in ("seconds", "style", "speed", "seed", "steps", "guidance") if key in options}
    if "size" in options:
        kwargs["size"] = tuple(options["size"])
    with ExitStack() as stack:
        if generation.input_image:
            with generation.input_image.open("rb") as f, Image.open(f) as image:
                kwargs["image"] = image.convert("RGB")
        if (start := video_input(generation)) is not None:
            kwargs["video"] = local_copy(start, stack)
            if generation.task == generation.Task.EXTEND:
                kwargs["extend"] = options.get("direction", "forward")
            else:
                kwargs["strength"] = options.get("strength", 0.6)
        if "shots" in options:
            kwargs["storyboard"] = [Shot(by_name(s["prompt"]), float(s["seconds"])) for s in options["shots"]]
        reference = reference_for(generation)  # the cameo named by @handle, as a picture
        if reference is not None:
            kwargs["reference"] = reference
        return pipeline()(prompt=by_name(generation.prompt), callback=lambda step, total: on_progress(step / total), **kwargs)


def video_input(generation):
    """The video a remix or extension starts from (the owner's upload, else the source generation's), or None."""
    if generation.input_video:
        return generation.input_video
    return generation.source.video if generation.source_id is not None else None


def local_copy(field_file, stack: ExitStack) -> Path:
    """A local path for a stored file (media may live in S3)."""
    tmp = stack.enter_context(tempfile.TemporaryDirectory())
    path = Path(tmp) / Path(field_file.name).name
    with field_file.open("rb") as src, open(path, "wb") as dst:
        for chunk in src.chunks():
            dst.write(chunk)
    return path
