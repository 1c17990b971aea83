"""Faces in frames with dlib: detection (HOG; its CNN detector tells people from drawings), 68 landmarks, how far
the head is turned, and a 128-number embedding (dlib's ResNet; two pictures of one person lie within
SAME_FACE_DISTANCE of each other).

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
# Is a face a real person's? dlib's HOG detector takes the drawn faces of a quarter to two-fifths of the world's
# sprites for faces (scores up to 1.4, as high as photos); its CNN detector, trained on photos of people, does not.
# The HOG detector proposes leniently and the CNN looks at each proposal scaled to HUMAN_CHECK_FACE pixels (one
# small pass a proposal, not one over the whole picture upsampled). CNN confidence: photos of people 1.05 to 1.10,
# sprites at most 0.05 (benchmarks/character_faces.py).
HUMAN_PROPOSAL_THRESHOLD = -0.5
HUMAN_CHECK_FACE = 160
HUMAN_CONFIDENCE = 0.5
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


def _weights(name: str) -> str:
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise VidoraError("face verification needs the face_recognition_models package (pip install face_recognition_models)")
    return str(Path(spec.submodule_search_locations[0]) / "models" / name)


@lru_cache(maxsize=1)
def _models():
    import dlib

    return (dlib.get_frontal_face_detector(), dlib.shape_predictor(_weights("shape_predictor_68_face_landmarks.dat")),
            dlib.face_recognition_model_v1(_weights("dlib_face_recognition_resnet_model_v1.dat")))


@lru_cache(maxsize=1)
def _human_detector():
    import dlib

    return dlib.cnn_face_detection_model_v1(_weights("mmod_human_face_detector.dat"))


def find_faces(frame: np.ndarray, upsample: int = 0, threshold: float = 0.0) -> list[Face]:
    """Every face dlib finds in an RGB uint8 frame. Faces smaller than about 80 pixels are missed unless the
    detector looks at the frame ``upsample`` times enlarged (each doubles its side, at about four times the cost);
    a lower ``threshold`` finds more, and more that are not faces."""
    detector, predictor, _ = _models()
    faces = []
    frame = np.ascontiguousarray(frame)
    for box in detector.run(frame, upsample, threshold)[0]:
        shape = predictor(frame, box)
        landmarks = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        faces.append(Face((box.left(), box.top(), box.right(), box.bottom()), landmarks, shape))
    return faces


def human_confidence(frame: np.ndarray, face: Face) -> float:
    """How surely dlib's CNN, trained on photos of people, sees a face where the HOG detector found ``face``
    (below 0: none)."""
    crop = face_crop(frame, face, margin=0.5)
    scale = HUMAN_CHECK_FACE / max(1, face.box[2] - face.box[0])
    crop = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))), Image.BICUBIC)
    return max((d.confidence for d in _human_detector()(np.asarray(crop), 0)), default=-1.0)


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
