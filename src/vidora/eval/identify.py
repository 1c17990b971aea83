"""Naming a character track by drawing its likeliest characters again and comparing.

Colour-layout descriptors (see detect.character_descriptor) confuse look-alike
characters, which share a body and its colour and differ in a pattern and an
accent colour, when the pattern is small, blurred or pixelated. The roster is
ours, so the few characters the descriptors rank best for a track are drawn as
the clip shows the track in some of its frames (at its place and size, turned
every way, in the clip's style, over the background's row colours) and each is
compared with the frame pixel by pixel; the one that fits best names the track.
No learned weights: the renderer is the model.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from vidora.eval.tracks import Track
from vidora.media.images import sample_indices
from vidora.world.characters import roster, sprite
from vidora.world.render import SPRITE_EXTENT, apply_style, character_layer, pixel_block, sprite_area

CANDIDATES = 3  # best-ranked characters drawn again
# Descriptor misfit (see detect.nearest_prototype) between the two best characters below which
# they are drawn again. Measured on 177 character tracks (seeds 70000-70299): where the best
# was wrong, the second was within 1.9 of it (the right one within 5); 35% of the right
# ones had a second as close.
CLOSE = 4.0
FRAMES = 4  # frames of the track compared, spread over those where it is seen whole and large
# Sizes are relative to the one the detected area suggests: outlines and blur change the
# area, and a dark outline or a part in the background's colour is not part of it.
COARSE_POSES = [(a, s, 0.0, 0.0) for a in np.radians(np.arange(0, 360, 30)) for s in (0.85, 1.0, 1.15, 1.3)]
POSE_STEPS = np.array([[np.radians(a), s, d, d] for a, s, d in ((10, 0.1, 1.0), (5, 0.05, 0.5), (2.5, 0.025, 0.5))])  # angle, size, x, y
WINDOW_REACH = 0.8  # half-side of the compared window, in square roots of the detected area (a disc's is 0.56)


def name_character(track: Track, frames: np.ndarray, rows: list[np.ndarray], style: str) -> str:
    """Roster name of the character among the track's CANDIDATES best-ranked that,
    drawn again, fits the track's frames best; its own name if the descriptors were
    sure (no other character within CLOSE of the best) or it cannot be compared."""
    whole = np.nonzero(track.whole)[0]
    if track.character_misfit is None or not whole.size:
        return track.character
    candidates = np.argsort(track.character_misfit)[:CANDIDATES]
    if np.ptp(track.character_misfit[candidates[:2]]) >= CLOSE:
        return track.character
    # The largest sightings show the most detail; a few spread over the clip see several poses.
    large = whole[track.area[whole] >= 0.5 * track.area[whole].max()]
    chosen = large[sample_indices(len(large), FRAMES)]
    # The median over frames: one frame where the track is merged with another object or
    # half hidden fits every candidate badly.
    cost = [
        np.median([render_misfit(frames[k], rows[k], style, track.xy[k], track.area[k], int(c)) for k in chosen])
        for c in candidates
    ]
    return roster()[int(candidates[int(np.argmin(cost))])].name


def render_misfit(frame: np.ndarray, rows: np.ndarray, style: str, centroid: np.ndarray, area: float, index: int) -> float:
    """Mean absolute RGB difference between ``frame`` and character ``index`` drawn with its
    centroid at ``centroid`` and about ``area`` pixels, at the angle and size that fit best,
    over a window around the centroid (the same for every character, so that costs compare)."""
    H, W = frame.shape[:2]
    block = pixel_block(H) if style == "pixel" else 1
    reach = WINDOW_REACH * np.sqrt(area) + 3
    y0, x0 = (max(0, int(c - reach) // block * block) for c in (centroid[1], centroid[0]))
    y1, x1 = (min(n, int(np.ceil(c + reach))) for c, n in ((centroid[1], H), (centroid[0], W)))
    window = (slice(y0, y1), slice(x0, x1))
    seen = frame[window].astype(np.float32)
    radius_px = np.sqrt(area / sprite_area(index)) / (2 * SPRITE_EXTENT)

    def misfit(pose) -> float:
        angle, scale, dx, dy = pose
        drawn = render_character(index, rows, window, H, centroid + (dx, dy), radius_px * scale, angle, style)
        return float(np.abs(drawn - seen).mean())

    # Turned every way at a few sizes around the one the area suggests, then each of angle,
    # size and place nudged while that helps (a pixel's misplacement spoils the eyes' match).
    best, pose = min((misfit(p), p) for p in COARSE_POSES)
    pose = np.array(pose)
    for steps in POSE_STEPS:
        for axis, step in enumerate(steps):
            for sign in (-1, 1):
                tried = pose.copy()
                tried[axis] += sign * step
                c = misfit(tried)
                if c < best:
                    best, pose = c, tried
    return best


def render_character(
    index: int, rows: np.ndarray, window: tuple[slice, slice], frame_height: int, centroid: np.ndarray,
    radius_px: float, angle: float, style: str,
) -> np.ndarray:
    """The ``window`` of a frame ``frame_height`` high showing character ``index``, drawn by
    the world's renderer with its centroid (not its centre: accessories and hems move that)
    at ``centroid``, over the row colours ``rows``, in ``style``; float RGB."""
    offset_u, offset_v = _sprite_centroid(index)
    cos, sin = np.cos(angle), np.sin(angle)
    # The centroid's offset from the centre, turned by the angle, in pixels (v points up, y down).
    centre = (
        centroid[0] - radius_px * (cos * offset_u - sin * offset_v),
        centroid[1] + radius_px * (sin * offset_u + cos * offset_v),
    )
    py, px = np.mgrid[window]
    colour, alpha = character_layer(index, py, px, centre, radius_px, angle)
    alpha = alpha[..., None]
    drawn = rows[window[0], None, :] * (1 - alpha) + colour * alpha
    labels = np.where(alpha[..., 0] > 0.5, 0, -1)
    return apply_style(drawn[None].astype(np.float32), labels[None], style, seed=0, frame_height=frame_height)[0].astype(np.float32)


@lru_cache(maxsize=None)
def _sprite_centroid(index: int) -> tuple[float, float]:
    """Centroid of a character's opaque pixels in its local units (radius 1, v up)."""
    opaque = sprite(index)[..., 3] > 127
    n = opaque.shape[0]
    ys, xs = np.nonzero(opaque)
    return float(((xs + 0.5) / n * 2 - 1).mean() * SPRITE_EXTENT), float(-((ys + 0.5) / n * 2 - 1).mean() * SPRITE_EXTENT)
