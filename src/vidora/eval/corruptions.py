"""Clips that break one promise of their prompt, for validating the metrics.

Each function returns an altered copy of a spec (to render) or of a clip's
frames/audio; a metric is trustworthy when real clips score high and the
corruption it is meant to catch scores clearly lower. None means the spec has
nothing the corruption could change.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from vidora.world import vocab
from vidora.world.spec import SceneSpec

MOVERS = ("fly", "bounce", "roll")


def recolour(spec: SceneSpec) -> SceneSpec:
    """Every shape in another colour (red ones green, all others red)."""
    objs = [o if o.is_character else dataclasses.replace(o, colour="green" if o.colour == "red" else "red") for o in spec.objects]
    return dataclasses.replace(spec, objects=objs)


def drop_object(spec: SceneSpec) -> SceneSpec | None:
    """The scene without its last shape (needs two shapes; no close-up of it)."""
    shapes = [i for i, o in enumerate(spec.objects) if not o.is_character]
    if len(shapes) < 2 or any(s.framing == "close" and s.subject == shapes[-1] for s in spec.shots):
        return None
    gone = shapes[-1]
    shots = [dataclasses.replace(s, subject=s.subject - (s.subject > gone)) for s in spec.shots]
    return dataclasses.replace(spec, objects=[o for i, o in enumerate(spec.objects) if i != gone], shots=shots)


def other_background(spec: SceneSpec) -> SceneSpec:
    return dataclasses.replace(spec, background="night" if spec.background != "night" else "desert")


def reverse_motion(spec: SceneSpec) -> SceneSpec | None:
    """Every thrown, rolled or flying object sent the other way (single-shot scenes)."""
    movers = [o.motion in MOVERS for o in spec.objects]
    if not any(movers) or len(spec.shots) > 1:
        return None
    objs = [
        dataclasses.replace(o, vx=-o.vx, vy=-o.vy if o.motion == "fly" else o.vy) if m else o
        for o, m in zip(spec.objects, movers)
    ]
    return dataclasses.replace(spec, objects=objs)


def shift_audio(audio: np.ndarray, seconds: float, rate: int = vocab.AUDIO_RATE) -> np.ndarray:
    """The sound track delayed (seconds > 0) or advanced, same length."""
    n = round(abs(seconds) * rate)
    pad = np.zeros(n, audio.dtype)
    return np.concatenate([pad, audio[: audio.size - n]]) if seconds > 0 else np.concatenate([audio[n:], pad])


def shuffle_frames(frames: np.ndarray, seed: int) -> np.ndarray:
    return frames[np.random.default_rng(seed).permutation(len(frames))]
