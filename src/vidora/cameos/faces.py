"""Faces in frames with dlib: detection (HOG), 68 landmarks, how far the head is turned, and a 128-number
embedding (dlib's ResNet; two pictures of one person lie within SAME_FACE_DISTANCE of each other).

The weights are the files of the face_recognition_models package. Its __init__ needs setuptools' pkg_resources,
which recent setuptools no longer has, so we only look up where the package is and never import it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from vidora.errors import VidoraError

SAME_FACE_DISTANCE = 0.6  # dlib's threshold: 99.38% right on Labeled Faces in the Wild
NOSE_TIP, JAW_LEFT, JAW_RIGHT = 30, 0, 16  # indices in the 68-point (iBUG 300-W) layout


@dataclass
class Face:
    box: tuple[int, int, int, int]  # left, top, right, bottom in the frame's pixels
    landmarks: np.ndarray  # (68, 2)
    shape: object  # dlib's full_object_detection, for the embedding

    @property
    def turn(self) -> float:
        """Head turn: where the nose tip sits between the jaw's ends, 0 facing the camera, about +-0.2 at 30 degrees."""
        left, right, nose = self.landmarks[JAW_LEFT, 0], self.landmarks[JAW_RIGHT, 0], self.landmarks[NOSE_TIP, 0]
        return float((nose - left) / max(right - left, 1.0) - 0.5)


@lru_cache(maxsize=1)
def _models():
    import dlib

    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise VidoraError("face verification needs the face_recognition_models package (pip install face_recognition_models)")
    folder = Path(spec.submodule_search_locations[0]) / "models"
    return (dlib.get_frontal_face_detector(),
            dlib.shape_predictor(str(folder / "shape_predictor_68_face_landmarks.dat")),
            dlib.face_recognition_model_v1(str(folder / "dlib_face_recognition_resnet_model_v1.dat")))


def find_faces(frame: np.ndarray, upsample: int = 0) -> list[Face]:
    """Every face dlib finds in an RGB uint8 frame. Faces smaller than about 80 pixels are missed unless the
    detector looks at the frame ``upsample`` times enlarged (each doubles its side, at about four times the cost)."""
    detector, predictor, _ = _models()
    faces = []
    for box in detector(np.ascontiguousarray(frame), upsample):
        shape = predictor(frame, box)
        landmarks = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        faces.append(Face((box.left(), box.top(), box.right(), box.bottom()), landmarks, shape))
    return faces


def embedding(frame: np.ndarray, face: Face) -> np.ndarray:
    """The face's 128-number descriptor (float64)."""
    _, _, recogniser = _models()
    return np.array(recogniser.compute_face_descriptor(np.ascontiguousarray(frame), face.shape))


def face_distance(a, b) -> float:
    return float(np.linalg.norm(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)))


def face_crop(frame: np.ndarray, face: Face, margin: float = 0.6) -> Image.Image:
    """A square picture of the head: the face box grown by ``margin`` on each side, clipped to the frame."""
    left, top, right, bottom = face.box
    side = max(right - left, bottom - top) * (1 + 2 * margin)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    height, width = frame.shape[:2]
    box = [max(0, round(cx - side / 2)), max(0, round(cy - side / 2)),
           min(width, round(cx + side / 2)), min(height, round(cy + side / 2))]
    return Image.fromarray(frame).crop(box)
