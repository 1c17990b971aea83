"""Camera paths: which part of the world each frame shows.

A camera view is a centre (cx, cy) and a view height ``vh`` in world units; the
view width follows from the frame's aspect ratio. Shots cut between framings;
within a shot the camera may pan or zoom.
"""

from __future__ import annotations

import numpy as np

from vidora.world import vocab
from vidora.world.physics import Trajectory
from vidora.world.spec import SceneSpec

# The wide framing shows the whole box, a strip of ground below the floor and a
# margin above the ceiling, so nothing inside the box is cut by the frame.
WIDE_CENTRE = (vocab.WORLD_W / 2, 3.8)
WIDE_HEIGHT = 9.2
CLOSE_HEIGHT = 4.6
PAN_TRAVEL = 1.6  # world units either side of the centre; a pan keeps the framing's height
ZOOM_RATIO = 0.6  # view height at the tight end of a zoom, relative to the loose end


def camera_path(spec: SceneSpec, traj: Trajectory) -> np.ndarray:
    """Return (T, 3) rows of (cx, cy, vh) for every frame."""
    cams = np.zeros((spec.frames, 3))
    bounds = [s.start for s in spec.shots] + [spec.frames]
    for shot, start, end in zip(spec.shots, bounds[:-1], bounds[1:]):
        if shot.framing == "close":
            sx, sy = traj.pos[start, shot.subject]
            cx = float(np.clip(sx, CLOSE_HEIGHT / 2, vocab.WORLD_W - CLOSE_HEIGHT / 2))
            cy = float(np.clip(sy, CLOSE_HEIGHT / 2 - 0.8, vocab.WORLD_H - CLOSE_HEIGHT / 2))
            base_h = CLOSE_HEIGHT
        else:
            cx, cy = WIDE_CENTRE
            base_h = WIDE_HEIGHT
        n = end - start
        u = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
        if shot.camera == "static":
            path = np.stack([np.full(n, cx), np.full(n, cy), np.full(n, base_h)], axis=1)
        elif shot.camera in ("pan_left", "pan_right"):
            direction = 1.0 if shot.camera == "pan_right" else -1.0
            xs = cx + direction * PAN_TRAVEL * (2 * u - 1)
            path = np.stack([xs, np.full(n, cy), np.full(n, base_h)], axis=1)
        else:
            loose, tight = base_h, base_h * ZOOM_RATIO
            hs = loose + (tight - loose) * u if shot.camera == "zoom_in" else tight + (loose - tight) * u
            path = np.stack([np.full(n, cx), np.full(n, cy), hs], axis=1)
        cams[start:end] = path
    return cams


def world_to_screen(points: np.ndarray, cam: np.ndarray, width: int, height: int) -> np.ndarray:
    """Map world (..., 2) points to pixel (x, y) coordinates for one camera row."""
    cx, cy, vh = cam
    scale = height / vh
    px = (points[..., 0] - cx) * scale + width / 2
    py = height / 2 - (points[..., 1] - cy) * scale
    return np.stack([px, py], axis=-1)
