"""Reference pictures for character cameos (a pet, an object, a drawn character) from an image or a short clip."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from vidora.cameos.faces import embedding, find_faces
from vidora.cameos.recording import read_recording
from vidora.errors import MediaError

REFERENCE_SIDE = 512  # larger than any engine canvas needs; the engine scales it down
# A character's face this close to a verified person's is that person. Stricter than SAME_FACE_DISTANCE: drawn
# faces (the world's sprites) lie about 0.6 from any real one, and photos of one person within 0.1 to 0.5.
CHARACTER_FACE_DISTANCE = 0.5


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


def face_embeddings(picture: Image.Image) -> list[list[float]]:
    """The 128-number embedding of each human face dlib finds in ``picture`` (down to about 40 pixels across),
    to compare with verified cameos: a character cannot be someone's face."""
    frame = np.asarray(picture.convert("RGB"))
    return [embedding(frame, face).tolist() for face in find_faces(frame, upsample=1)]
