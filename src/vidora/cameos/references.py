"""Reference pictures for character cameos (a pet, an object, a drawn character) from an image or a short clip."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from vidora.cameos.faces import HUMAN_CONFIDENCE, HUMAN_PROPOSAL_THRESHOLD, Face, embedding, find_faces, human_confidence
from vidora.cameos.recording import read_recording
from vidora.errors import MediaError
from vidora.media.images import sample_indices

REFERENCE_SIDE = 512  # larger than any engine canvas needs; the engine scales it down
# A character's face this close to a verified person's is that person. Stricter than SAME_FACE_DISTANCE: drawn
# faces (the world's sprites) lie about 0.6 from any real one, and photos of one person within 0.1 to 0.5.
CHARACTER_FACE_DISTANCE = 0.5


# Besides the picture, a clip's frames evenly spaced over it are looked at for people.
CLIP_FRAMES_CHECKED = 4


@dataclass(frozen=True)
class CharacterUpload:
    picture: Image.Image  # what the character cameo stands for (RGBA)
    frames: list[np.ndarray]  # RGB frames looked at for faces: the picture, and for a clip some of its frames


@dataclass(frozen=True)
class FoundFace:
    embedding: list[float]  # to compare with verified cameos
    frame: np.ndarray
    face: Face

    def is_human(self) -> bool:
        """A real person's face, not a drawn one (a CNN pass: asked only as long as the answer matters)."""
        return human_confidence(self.frame, self.face) >= HUMAN_CONFIDENCE


def read_character_upload(path: str | os.PathLike[str]) -> CharacterUpload:
    """The picture a character cameo stands for (the image itself, transparency kept, or a clip's sharpest frame)
    and the frames to look at for people."""
    try:
        with Image.open(path) as opened:
            image = opened.convert("RGBA")
        others = []
    except UnidentifiedImageError:
        frames = read_recording(path).frames  # MediaError when it is not a video either
        image = Image.fromarray(max(frames, key=_sharpness)).convert("RGBA")
        others = [frames[i] for i in sample_indices(len(frames), CLIP_FRAMES_CHECKED)]
    except OSError as exc:
        raise MediaError(f"cannot read {Path(path).name} ({exc})") from None
    image.thumbnail((REFERENCE_SIDE, REFERENCE_SIDE), Image.LANCZOS)
    return CharacterUpload(image, [np.asarray(image.convert("RGB")), *others])


def reference_from_upload(path: str | os.PathLike[str]) -> Image.Image:
    """The picture a character cameo stands for: the image itself (transparency kept), or a clip's sharpest frame."""
    return read_character_upload(path).picture


def _sharpness(frame: np.ndarray) -> float:
    """Mean squared brightness gradient: a blurred (moving) frame scores low."""
    grey = frame.astype(np.float32).mean(axis=2)
    return float((np.diff(grey, axis=0) ** 2).mean() + (np.diff(grey, axis=1) ** 2).mean())


def faces_in(upload: CharacterUpload) -> list[FoundFace]:
    """Every face dlib finds in the upload's frames (leniently: drawn ones too)."""
    return [FoundFace(embedding(frame, face).tolist(), frame, face) for frame in upload.frames
            for face in find_faces(frame, upsample=1, threshold=HUMAN_PROPOSAL_THRESHOLD)]


def face_embeddings(picture: Image.Image) -> list[list[float]]:
    """The 128-number embedding of each human face dlib finds in ``picture`` (down to about 40 pixels across),
    to compare with verified cameos: a character cannot be someone's face."""
    frame = np.asarray(picture.convert("RGB"))
    return [embedding(frame, face).tolist() for face in find_faces(frame, upsample=1)]
