"""Reference pictures for character cameos (a pet, an object, a drawn character) from an image or a short clip."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from vidora.cameos.recording import read_recording
from vidora.errors import MediaError

REFERENCE_SIDE = 512  # larger than any engine canvas needs; the engine scales it down


def reference_from_upload(path: str | os.PathLike[str]) -> Image.Image:
    """The picture a character cameo stands for: the image itself (transparency kept), or a clip's sharpest frame."""
    try:
        with Image.open(path) as opened:
            image = opened.convert("RGBA")
    except UnidentifiedImageError:
        frames = read_recording(path).frames  # MediaError when it is not a video either
        image = Image.fromarray(max(frames, key=_sharpness)).convert("RGBA")
    except OSError as exc:
        raise MediaError(f"cannot read {Path(path).name} ({exc})") from None
    image.thumbnail((REFERENCE_SIDE, REFERENCE_SIDE), Image.LANCZOS)
    return image


def _sharpness(frame: np.ndarray) -> float:
    """Mean squared brightness gradient: a blurred (moving) frame scores low."""
    grey = frame.astype(np.float32).mean(axis=2)
    return float((np.diff(grey, axis=0) ** 2).mean() + (np.diff(grey, axis=1) ** 2).mean())
