"""One world clip: frames, sound and the ground truth behind them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vidora.world import vocab
from vidora.world.audio import render_audio
from vidora.world.camera import camera_path
from vidora.world.characters import roster
from vidora.world.physics import simulate
from vidora.world.render import render
from vidora.world.spec import SceneSpec


@dataclass
class WorldClip:
    spec: SceneSpec
    frames: np.ndarray  # (T, H, W, 3) uint8
    audio: np.ndarray  # (N,) float32 mono at vocab.AUDIO_RATE
    truth: dict[str, Any]  # JSON-serialisable ground truth
    labels: np.ndarray  # (T, H, W) int16 object index per pixel, -1 background


def render_clip(spec: SceneSpec) -> WorldClip:
    """Simulate, film and voice a scene. Deterministic in the spec (its seed included)."""
    spec.validate()
    traj = simulate(spec)
    cams = camera_path(spec, traj)
    shown = render(spec, traj, cams)
    audio = render_audio(spec, traj)
    names = roster()
    truth = {
        "objects": [
            {
                "index": i,
                "kind": "character" if o.is_character else "shape",
                "shape": o.shape,
                "colour": o.colour,
                "character": names[o.character].name if o.is_character else None,
                "size": o.size,
                "material": o.material,
                "motion": o.motion,
                "position": _rounded(traj.pos[:, i]),
                "velocity": _rounded(traj.vel[:, i]),
                "angle": _rounded(traj.angle[:, i]),
                "scale": _rounded(traj.scale[:, i]),
                "screen": _rounded(shown.screen[:, i], 2),
                "visibility": _rounded(shown.visibility[:, i], 3),
            }
            for i, o in enumerate(spec.objects)
        ],
        "impacts": [
            {"time": round(h.time, 5), "frame": round(h.time * spec.fps, 3), "object": h.obj, "other": h.other, "speed": round(h.speed, 3)}
            for h in traj.impacts
        ],
        "shot_starts": [s.start for s in spec.shots],
        "camera": _rounded(cams),
        "background": spec.background,
        "style": spec.style,
        "speed": spec.speed,
        "fps": spec.fps,
        "audio_rate": vocab.AUDIO_RATE,
    }
    return WorldClip(spec=spec, frames=shown.frames, audio=audio, truth=truth, labels=shown.labels)


def _rounded(a: np.ndarray, digits: int = 4) -> list:
    return np.round(a, digits).tolist()
