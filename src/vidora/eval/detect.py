"""Classical-CV reading of a world clip: background, style, objects and tracks.

No learned weights: the world is ours, so its vocabulary is known.

* Background: every world background is a vertical gradient (sky over ground),
  so each frame's row medians are compared with each background's gradient.
* Foreground: pixels far from their row's median colour, except ones that are
  paler and greyer than it (clouds, stars, wave crests), grouped into
  8-connected components.
* Objects: a component that is mostly one saturated colour is a shape, named
  by hue and by mask descriptors (holes, solidity, fill of its enclosing
  circle); a many-coloured one is a character, named by a rotation-invariant
  histogram of palette colours in rings around its centre.
* Tracks: detections linked frame to frame by label and distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import ndimage
from scipy.optimize import linear_sum_assignment
from scipy.spatial import ConvexHull, QhullError

from vidora.eval.tracks import Detection, Track
from vidora.world import vocab
from vidora.world.characters import OUTLINE, PALETTE, roster
from vidora.world.clip import render_clip
from vidora.world.spec import ObjectSpec, SceneSpec

FOREGROUND_DISTANCE = 40.0  # RGB distance from the row's background colour
RINGS = 4
_CHAR_COLOURS = np.array(list(PALETTE.values()) + [OUTLINE, (250, 250, 250)], dtype=np.float32)


@dataclass
class Reading:
    """Everything the detector read from one clip."""

    background: str
    style: str
    detections: list[list[Detection]]  # per frame
    tracks: list[Track]
    cuts: list[int]  # frames that start a new shot


def read_clip(frames: np.ndarray) -> Reading:
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.shape[0] < 1:
        raise ValueError(f"expected frames of shape (T, H, W, 3), got {frames.shape}")
    background = classify_background(np.median(frames.astype(np.float32), axis=2))
    masks = [foreground_mask(f, background_rows(f, background)) for f in frames]
    style = classify_style(frames, masks)
    detections = [detect_objects(f, m, k, style) for k, (f, m) in enumerate(zip(frames, masks))]
    cuts = detect_cuts(frames)
    return Reading(
        background=background,
        style=style,
        detections=detections,
        tracks=link_tracks(detections, len(frames), cuts),
        cuts=cuts,
    )


# --- background and foreground ------------------------------------------------

@lru_cache(maxsize=1)
def _background_segments() -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    segments = {}
    for name, bg in vocab.BACKGROUNDS.items():
        parts = [(np.array(bg.sky_bottom, float), np.array(bg.sky_top, float))]
        if bg.ground_top is not None:
            parts.append((np.array(bg.ground_bottom, float), np.array(bg.ground_top, float)))
        segments[name] = parts
    return segments


def _distance_to_segment(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((points - a) @ ab) / (ab @ ab), 0, 1)
    return np.linalg.norm(points - (a + t[:, None] * ab), axis=1)


def classify_background(rows: np.ndarray) -> str:
    """Background whose sky/ground gradients lie closest to the clip's row colours."""
    colours = rows.reshape(-1, 3).astype(float)
    scores = {
        name: np.mean(np.min([_distance_to_segment(colours, a, b) for a, b in parts], axis=0))
        for name, parts in _background_segments().items()
    }
    return min(scores, key=scores.get)


def background_rows(frame: np.ndarray, background: str, tolerance: float = 35.0) -> np.ndarray:
    """(H, 3) background colour of each row, from the pixels that fit the known gradient.

    A plain row median fails where objects cover much of a row (several objects
    resting on the floor, close-ups); pixels far from every colour of the
    background's gradients are left out. Rows with no such pixel fall back to
    the gradient colour nearest their median.
    """
    f = frame.astype(np.float32)
    H, W, _ = f.shape
    flat = f.reshape(-1, 3)
    parts = _background_segments()[background]
    dist = np.min([_distance_to_segment(flat, a, b) for a, b in parts], axis=0).reshape(H, W)
    fits = dist < tolerance
    rows = np.empty((H, 3), np.float32)
    for y in range(H):
        if fits[y].sum() >= 4:
            rows[y] = np.median(f[y][fits[y]], axis=0)
        else:
            med = np.median(f[y], axis=0).astype(float)
            candidates = [_nearest_on_segment(med, a, b) for a, b in parts]
            rows[y] = min(candidates, key=lambda c: np.linalg.norm(c - med))
    return rows


def _nearest_on_segment(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    return a + np.clip((p - a) @ ab / (ab @ ab), 0, 1) * ab


def foreground_mask(frame: np.ndarray, row_colours: np.ndarray) -> np.ndarray:
    f = frame.astype(np.float32)
    diff = f - row_colours[:, None, :]
    far = np.linalg.norm(diff, axis=-1) > FOREGROUND_DISTANCE
    chroma = f.max(axis=-1) - f.min(axis=-1)
    bg_chroma = (row_colours.max(axis=-1) - row_colours.min(axis=-1))[:, None]
    # Clouds, stars and wave crests are paler and greyer than the sky or sea behind them.
    pale_grey = (diff.mean(axis=-1) > 0) & (chroma < bg_chroma + 25)
    mask = far & ~pale_grey
    return ndimage.binary_opening(mask, np.ones((2, 2), bool))


# --- style ---------------------------------------------------------------------

def classify_style(frames: np.ndarray, masks: list[np.ndarray]) -> str:
    """flat / cartoon / pixel / watercolor from blockiness, outlines and edge softness."""
    if _blockiness(frames) > 0.85:
        return "pixel"
    f = frames.astype(np.float32)
    mask = np.stack(masks)
    boundary = mask & ~ndimage.binary_erosion(mask, np.ones((1, 3, 3), bool))
    if not boundary.any():
        return "flat"
    value = f.max(axis=-1)
    if np.mean(value[boundary] < 70) > 0.35:
        return "cartoon"
    # Watercolour blurs every edge: the steepest step across an object edge is small.
    grad = np.max(np.abs(np.diff(f, axis=2)), axis=-1)
    edge_px = boundary[:, :, 1:]
    steep = np.percentile(grad[edge_px], 90) if edge_px.any() else 255
    return "watercolor" if steep < 75 else "flat"


def _blockiness(frames: np.ndarray) -> float:
    """Largest share of zero horizontal steps off a block grid, over block sizes 2..6."""
    g = np.abs(np.diff(frames.astype(np.int16), axis=2)).sum(axis=-1)
    best = 0.0
    for k in range(2, 7):
        inside = np.ones(g.shape[2], bool)
        inside[k - 1 :: k] = False
        # Steps inside blocks vanish in pixel art; steps on block edges carry all change.
        if g[:, :, ~inside].sum() == 0:
            continue
        best = max(best, float(np.mean(g[:, :, inside] == 0)))
    return best


# --- objects -------------------------------------------------------------------

def _hue(rgb: np.ndarray) -> np.ndarray:
    r, g, b = (rgb[..., i] / 255.0 for i in range(3))
    mx, mn = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    d = np.where(mx - mn == 0, 1e-9, mx - mn)
    h = np.where(mx == r, (g - b) / d % 6, np.where(mx == g, (b - r) / d + 2, (r - g) / d + 4))
    return h * 60.0


@lru_cache(maxsize=1)
def _colour_hues() -> tuple[list[str], np.ndarray]:
    names = list(vocab.COLOURS)
    return names, _hue(np.array([vocab.COLOURS[n].rgb for n in names], float))


def name_colour(rgb: np.ndarray) -> str:
    names, hues = _colour_hues()
    d = np.abs(hues - _hue(np.asarray(rgb, float)))
    return names[int(np.argmin(np.minimum(d, 360 - d)))]


def detect_objects(frame: np.ndarray, mask: np.ndarray, k: int, style: str) -> list[Detection]:
    labels, _ = ndimage.label(mask, np.ones((3, 3), bool))
    H, W = mask.shape
    min_area = max(10.0, 0.0006 * H * W)
    found = []
    for idx, sl in enumerate(ndimage.find_objects(labels), start=1):
        comp = labels[sl] == idx
        area = float(comp.sum())
        if area < min_area:
            continue
        ys, xs = np.nonzero(comp)
        y, x = ys.mean() + sl[0].start + 0.5, xs.mean() + sl[1].start + 0.5
        rgb = frame[sl]
        if _is_character(rgb, comp):
            name, score = identify_character(rgb, comp, style)
            found.append(Detection(k, x, y, area, "character", character=name, match=score))
        else:
            pixels = rgb[comp].astype(np.float32)
            vivid = pixels[pixels.max(axis=1) - pixels.min(axis=1) > 50]
            colour = name_colour(np.median(vivid if len(vivid) else pixels, axis=0))
            found.append(Detection(k, x, y, area, "shape", colour=colour, shape=classify_shape(comp, style)))
    return found


def _is_character(rgb: np.ndarray, comp: np.ndarray) -> bool:
    """Characters have eyes (holes or pale pixels) or more than one colour; shapes have one hue."""
    holes = ndimage.label(ndimage.binary_fill_holes(comp) & ~comp)[1]
    if holes >= 2:
        return True
    pixels = rgb[comp].astype(np.float32)
    value = pixels.max(axis=1)
    chroma = value - pixels.min(axis=1)
    lit = value >= 70  # ignore outlines and cel-shading's darkest tone
    if lit.sum() < 4:
        return False
    vivid = lit & (chroma > 50)
    if vivid.sum() < 0.6 * lit.sum():
        return True
    h = _hue(pixels[vivid])
    centre = np.angle(np.mean(np.exp(1j * np.radians(h))), deg=True)
    return bool(np.mean(np.abs((h - centre + 180) % 360 - 180) < 25) < 0.85)


def shape_features(comp: np.ndarray) -> np.ndarray:
    """Scale- and rotation-invariant mask descriptors used to name a shape.

    hole share, fill of the enclosing circle, solidity, and the spread of the
    outline's distance from the centroid (0 for a disc, large for a star).
    """
    comp = np.pad(comp, 2)
    filled = ndimage.binary_fill_holes(comp)
    area = filled.sum()
    ys, xs = np.nonzero(filled)
    cy, cx = ys.mean(), xs.mean()
    edge = filled & ~ndimage.binary_erosion(filled)
    ey, ex = np.nonzero(edge)
    radii = np.hypot(ey - cy, ex - cx) + 0.5
    r_max = radii.max()
    return np.array([
        (area - comp.sum()) / area,
        area / (np.pi * r_max**2),
        area / _convex_area(ys, xs),
        radii.std() / radii.mean(),
    ])


def classify_shape(comp: np.ndarray, style: str) -> str:
    """Nearest prototype, among shapes rendered in the same style, in feature space."""
    feats, names, scale = _shape_bank(style)
    d = np.linalg.norm((feats - shape_features(comp)) / scale, axis=1)
    return names[int(np.argmin(d))]


def _convex_area(ys: np.ndarray, xs: np.ndarray) -> float:
    # Hull of pixel squares, not pixel centres, so small masks are not under-counted.
    pts = np.concatenate([np.stack([xs + dx, ys + dy], 1) for dx in (0, 1) for dy in (0, 1)])
    try:
        return float(ConvexHull(pts).volume)
    except QhullError:
        return float(len(ys))


def _prototype_components(style: str, objects: list[ObjectSpec]):
    """Render objects spinning in mid-air on the studio background; yield (object, rgb, mask)."""
    spec = SceneSpec(seed=1, background="studio", style=style, objects=objects, frames=6, fps=8)
    clip = render_clip(spec)
    for k, frame in enumerate(clip.frames):
        labels, _ = ndimage.label(foreground_mask(frame, background_rows(frame, "studio")), np.ones((3, 3), bool))
        for sl_idx, sl in enumerate(ndimage.find_objects(labels), start=1):
            comp = labels[sl] == sl_idx
            ys, xs = np.nonzero(comp)
            centre = np.array([xs.mean() + sl[1].start, ys.mean() + sl[0].start])
            screens = np.array([o["screen"][k] for o in clip.truth["objects"]])
            owner = int(np.argmin(np.linalg.norm(screens - centre, axis=1)))
            yield objects[owner], frame[sl], comp


def _spread(objects_per_row: list[tuple]) -> list[ObjectSpec]:
    """Lay out up to 9 prototypes on a 3x3 grid, each spinning in place."""
    out = []
    for i, (size, kwargs) in enumerate(objects_per_row):
        out.append(ObjectSpec(size=size, material="wood", motion="spin", x=1.4 + 2.6 * (i % 3), y=1.3 + 2.6 * (i // 3),
                              spin=1.3 + 0.4 * i, **kwargs))
    return out


@lru_cache(maxsize=None)
def _shape_bank(style: str) -> tuple[np.ndarray, list[str], np.ndarray]:
    feats, names = [], []
    items = [(size, {"shape": shape, "colour": "red"}) for shape in vocab.SHAPES for size in vocab.SIZES]
    for chunk in range(0, len(items), 9):
        for obj, _rgb, comp in _prototype_components(style, _spread(items[chunk : chunk + 9])):
            feats.append(shape_features(comp))
            names.append(obj.shape)
    feats = np.array(feats)
    return feats, names, feats.std(axis=0) + 1e-6


@lru_cache(maxsize=None)
def _character_bank(style: str) -> np.ndarray:
    """Mean ring histogram of every roster character as rendered in ``style``."""
    sums = np.zeros((len(roster()), RINGS * len(_CHAR_COLOURS)))
    counts = np.zeros(len(roster()))
    items = [(size, {"character": c.index}) for c in roster() for size in ("small", "large")]
    for chunk in range(0, len(items), 9):
        for obj, rgb, comp in _prototype_components(style, _spread(items[chunk : chunk + 9])):
            sums[obj.character] += _ring_histogram(rgb, comp)
            counts[obj.character] += 1
    return sums / np.maximum(counts, 1)[:, None]


def _ring_histogram(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Palette-colour histogram in RINGS concentric rings: rotation and scale invariant."""
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return np.zeros(RINGS * len(_CHAR_COLOURS))
    pix = rgb[ys, xs].astype(np.float32)
    cls = np.argmin(((pix[:, None, :] - _CHAR_COLOURS[None]) ** 2).sum(-1), axis=1)
    r = np.hypot(ys - ys.mean(), xs - xs.mean())
    ring = np.minimum((r / (r.max() + 1e-6) * RINGS).astype(int), RINGS - 1)
    hist = np.zeros((RINGS, len(_CHAR_COLOURS)))
    np.add.at(hist, (ring, cls), 1)
    hist /= np.maximum(hist.sum(axis=1, keepdims=True), 1)
    return hist.ravel()


def identify_character(rgb: np.ndarray, mask: np.ndarray, style: str) -> tuple[str, float]:
    """Best-matching roster character and a 0..1 similarity (1 - half L1 distance per ring)."""
    hist = _ring_histogram(rgb, mask)
    dist = np.abs(_character_bank(style) - hist).sum(axis=1) / (2 * RINGS)
    best = int(np.argmin(dist))
    return roster()[best].name, float(1 - dist[best])


# --- shots and tracks ----------------------------------------------------------

def detect_cuts(frames: np.ndarray, threshold: float = 30.0) -> list[int]:
    """Frames whose row-colour profile jumps from the previous frame's (a camera cut)."""
    if len(frames) < 2:
        return []
    small = frames[:, ::4, ::4].astype(np.float32)
    jump = np.abs(np.diff(small, axis=0)).mean(axis=(1, 2, 3))
    base = np.median(jump) + 1e-6
    return [k + 1 for k, j in enumerate(jump) if j > threshold and j > 4 * base]


def link_tracks(detections: list[list[Detection]], T: int, cuts: list[int], max_jump: float = 0.25) -> list[Track]:
    """Link detections into tracks: same label, nearest position; across cuts by label only."""
    tracks: list[dict] = []  # label, last position, per-frame positions
    for k, dets in enumerate(detections):
        if not dets:
            continue
        H_scale = max(1.0, max(d.area for d in dets) ** 0.5)
        live = [t for t in tracks if t["last_frame"] >= k - 4 or k in cuts]
        cost = np.full((len(dets), len(live)), 1e6)
        for i, d in enumerate(dets):
            for j, t in enumerate(live):
                if _label(d) != t["label"]:
                    continue
                jumped = k in cuts or t["last_frame"] < k - 1
                dist = np.hypot(d.x - t["x"], d.y - t["y"])
                cost[i, j] = 0.0 if k in cuts else dist
                if not jumped and dist > max_jump * 4 * H_scale + 20:
                    cost[i, j] = 1e6
        rows, cols = linear_sum_assignment(cost) if live else ([], [])
        taken = {}
        for i, j in zip(rows, cols):
            if cost[i, j] < 1e6:
                taken[i] = live[j]
        for i, d in enumerate(dets):
            t = taken.get(i)
            if t is None:
                t = {"label": _label(d), "det": d, "xy": np.full((T, 2), np.nan), "area": np.full(T, np.nan)}
                tracks.append(t)
            t.update(x=d.x, y=d.y, last_frame=k)
            t["xy"][k] = (d.x, d.y)
            t["area"][k] = d.area
    return [
        Track(kind=t["det"].kind, colour=t["det"].colour, shape=t["det"].shape, character=t["det"].character, xy=t["xy"], area=t["area"])
        for t in tracks
    ]


def _label(d: Detection) -> tuple:
    return (d.kind, d.character) if d.kind == "character" else (d.kind, d.colour, d.shape)
