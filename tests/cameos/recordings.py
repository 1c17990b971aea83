"""Verification recordings the tests make: espeak-ng reads the phrase, and a photo becomes a head that turns.

The faces are public-domain photographs that ship inside our dependencies: Grace Hopper (US Navy photo,
matplotlib's sample data) and Eileen Collins (NASA photo, scikit-image's astronaut). Each is wrapped on a head
shape (an ellipsoid with a nose) and turned about the vertical axis, so the nose moves across the cheeks the way
it does when a real head turns, while a still photo shows no turn at all.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from vidora.cameos.faces import NOSE_TIP, find_faces
from vidora.cameos.recording import SPEECH_RATE
from vidora.media import write_mp4

FPS = 10
SIDE = 320  # frame size; the face spans about 40% of it
VOICE, WORDS_PER_MINUTE = "en-us+f2", 160
MAX_TURN_DEGREES = 20


def hopper() -> np.ndarray:
    import matplotlib.cbook

    with Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as image:
        return np.asarray(image.convert("RGB"))


def astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


def need_espeak() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")


def spoken(text: str) -> np.ndarray:
    """espeak-ng reading ``text``: int16 mono at SPEECH_RATE."""
    need_espeak()
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(wav), text], check=True)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SPEECH_RATE)
        with av.open(str(wav)) as container:
            chunks = [out.to_ndarray()[0] for frame in container.decode(audio=0) for out in resampler.resample(frame)]
        chunks += [out.to_ndarray()[0] for out in resampler.resample(None)]
    return np.concatenate(chunks).astype(np.int16)


class Head:
    """A photo's face on a head shape that can turn: the picture cropped around the face, with a depth per pixel."""

    def __init__(self, photo: np.ndarray):
        face = max(find_faces(photo), key=lambda f: (f.box[2] - f.box[0]))
        left, top, right, bottom = face.box
        width = right - left
        cx, cy = (left + right) / 2, (top + bottom) / 2
        half = 1.25 * width  # crop: the face spans 40% of the frame
        crop = Image.fromarray(photo).crop((round(cx - half), round(cy - half), round(cx + half), round(cy + half)))
        scale = SIDE / crop.width
        self.picture = np.asarray(crop.resize((SIDE, SIDE), Image.LANCZOS)).astype(np.float32)
        to_frame = lambda x, y: ((x - cx + half) * scale, (y - cy + half) * scale)  # noqa: E731
        centre_x, centre_y = to_frame(face.landmarks[:, 0].mean(), face.landmarks[:, 1].mean())
        nose_x, nose_y = to_frame(*face.landmarks[NOSE_TIP])
        w = width * scale
        self.y, self.x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
        radius_x, radius_y = 0.62 * w, 0.8 * w
        bulge = np.clip(1 - ((self.x - centre_x) / radius_x) ** 2 - ((self.y - centre_y) / radius_y) ** 2, 0, None)
        nose = np.exp(-(((self.x - nose_x) / (0.12 * w)) ** 2 + ((self.y - nose_y + 0.1 * w) / (0.25 * w)) ** 2))
        self.depth = radius_x * np.sqrt(bulge) + 0.25 * w * nose  # towards the camera, 0 outside the head

    def turned(self, degrees: float) -> np.ndarray:
        """The head turned by ``degrees`` about the vertical axis (orthographic, small angles)."""
        shift = np.sin(np.radians(degrees))
        source_x = self.x.copy()
        for _ in range(4):  # solve source_x + depth(source_x) * shift = x by fixed-point iteration
            source_x = self.x - ndimage.map_coordinates(self.depth, [self.y, source_x], order=1) * shift
        channels = [ndimage.map_coordinates(self.picture[..., c], [self.y, source_x], order=1) for c in range(3)]
        return np.stack(channels, axis=-1).clip(0, 255).astype(np.uint8)


def turning_frames(head: Head, seconds: float, read_seconds: float) -> list[np.ndarray]:
    """Facing the camera while reading, then a slow turn to one side, to the other and back."""
    facing = head.turned(0)
    times = np.arange(round(seconds * FPS)) / FPS
    return [facing if t < read_seconds else
            head.turned(MAX_TURN_DEGREES * np.sin(2 * np.pi * (t - read_seconds) / (seconds - read_seconds)))
            for t in times]


def write_clip(path: Path, frames: list[np.ndarray], speech: np.ndarray, speech_start: float = 0.5) -> Path:
    """An MP4 of ``frames`` at FPS with ``speech`` starting at ``speech_start`` seconds."""
    samples = round(len(frames) / FPS * SPEECH_RATE)
    audio = np.zeros(samples, np.float32)
    start = round(speech_start * SPEECH_RATE)
    part = speech[: samples - start].astype(np.float32) / 32768
    audio[start : start + len(part)] = part
    return write_mp4(path, np.stack(frames), FPS, audio=audio, audio_rate=SPEECH_RATE)


PHRASE = "falcon planet penguin coffee lantern"  # what the tests' challenges ask for
OTHER_PHRASE = "tiger window seven marble violin"
PHOTOS = {"hopper": hopper, "astronaut": astronaut, "none": lambda: None}
_folder = None


@lru_cache(maxsize=None)
def clip(face: str = "hopper", said: str = PHRASE, turn: bool = True) -> Path:
    """A recording made once per test process: ``face`` is a key of PHOTOS ("none": nobody in view)."""
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="vidora-cameo-clips-"))
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return recording(_folder / f"{face}-{said.replace(' ', '_')}-{turn}.mp4", PHOTOS[face](), said, turn=turn)


_verified: dict = {}


def verified_once(path, phrase: str):
    """verify_recording, run once per recording content and phrase in a test process (tests of what is done with
    a result reuse the result; tests/cameos/test_verify.py checks the verification itself)."""
    from vidora.cameos import verify_recording

    key = (hashlib.sha1(Path(path).read_bytes()).hexdigest(), phrase)
    if key not in _verified:
        _verified[key] = verify_recording(path, phrase)
    return _verified[key]


def recording(path: Path, photo: np.ndarray | None, said: str, *, turn: bool = True) -> Path:
    """A verification clip: ``photo``'s face (None: no face, a plain wall) reading ``said``, then turning or not."""
    speech = spoken(said)
    read_seconds = 0.5 + len(speech) / SPEECH_RATE + 0.3
    seconds = read_seconds + 3.0
    if photo is None:
        wall = np.linspace([180, 170, 150], [120, 110, 100], SIDE, dtype=np.float32)[:, None, :]
        frames = [np.broadcast_to(wall, (SIDE, SIDE, 3)).astype(np.uint8)] * round(seconds * FPS)
    elif turn:
        frames = turning_frames(Head(photo), seconds, read_seconds)
    else:
        frames = [Head(photo).turned(0)] * round(seconds * FPS)  # a still photo held up to the camera
    return write_clip(path, frames, speech)
