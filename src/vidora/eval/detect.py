"""Classical-CV reading of a world clip: background, style, objects, tracks.

No learned weights: the world is ours, so its vocabulary is known.

* Background: every world background is a vertical gradient (sky over
  ground); the clip's row colours are compared with each one's gradients.
  Each row's background colour is then the median of the pixels that fit it.
* Foreground: pixels far from their row's background colour, except paler,
  greyer ones (clouds, stars, wave crests), in 8-connected components.
* Objects: each component is compared, by colour-layout histograms, with
  prototypes of every character and every coloured shape rendered by our own
  renderer in the clip's style (a template bank, built once per style). Shapes
  are then named by hue and by mask descriptors matched to shape prototypes.
* Camera: pans from background-texture correlation; cuts from jumps in the
  row colours and coarse layout.
* Tracks: detections linked by position, named by an area-weighted vote; a
  character track's likeliest characters are drawn again and compared with its
  frames (see identify.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import ndimage
from scipy.optimize import linear_sum_assignment
from scipy.spatial import ConvexHull, QhullError
from scipy.spatial.distance import cdist

from vidora.eval.identify import name_character
from vidora.eval.tracks import Detection, Track
from vidora.world import vocab
from vidora.world.characters import OUTLINE, PALETTE, roster
from vidora.world.clip import render_clip
from vidora.world.render import OUTLINE_RGB
from vidora.world.spec import ObjectSpec, SceneSpec

FOREGROUND_DISTANCE = 40.0  # RGB distance from the row's background colour
CLOUD_SHADE = 60.0  # how far a cloud may lift the sky's colour, with margin (the renderer's reach 45)
RINGS = 4
# Silhouette features (see shape_features) enter the character descriptor scaled by their
# spread over character detections in real clips; the weight was tuned on 2,100 of them.
SILHOUETTE_SPREAD = np.array([0.05, 0.08, 0.05, 0.05])
SILHOUETTE_WEIGHT = 0.23
# Colours a descriptor sorts pixels into: character palette, outline, eye white, object colours.
_CHAR_COLOURS = np.array(
    list(PALETTE.values()) + [OUTLINE, (250, 250, 250)] + [c.rgb for c in vocab.COLOURS.values()], dtype=np.float32
)


@dataclass
class Reading:
    """Everything the detector read from one clip."""

    background: str
    style: str
    detections: list[list[Detection]]  # per frame
    tracks: list[Track]
    cuts: list[int]  # frames that start a new shot
    pan: np.ndarray  # (T,) background slide to the right since the previous frame, pixels
    zoom: np.ndarray  # (T,) magnification about the frame centre since the shot's first frame
    frame_size: tuple[int, int]  # (H, W)

    def undo_camera(self, xy: np.ndarray, frames: np.ndarray) -> np.ndarray:
        """Pixel positions ``xy`` seen in ``frames`` (one shot), moved to where the
        shot's first framing would show them: zoom and pan taken out."""
        H, W = self.frame_size
        centre = np.array([W / 2, H / 2])
        out = centre + (xy - centre) / self.zoom[frames, None]
        out[:, 0] -= np.cumsum(self.pan)[frames]
        return out


def read_clip(frames: np.ndarray) -> Reading:
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.shape[0] < 1:
        raise ValueError(f"expected frames of shape (T, H, W, 3), got {frames.shape}")
    background = classify_background(np.median(frames.astype(np.float32), axis=2))
    rows = [background_rows(f, background) for f in frames]
    masks = [foreground_mask(f, r) for f, r in zip(frames, rows)]
    style = classify_style(frames, masks, rows)
    detections = [detect_objects(f, m, k, style) for k, (f, m) in enumerate(zip(frames, masks))]
    cuts = detect_cuts(frames, np.stack(rows))
    pan = estimate_pan(frames, masks, rows)
    pan[cuts] = 0.0
    tracks = link_tracks(detections, len(frames), cuts)
    for track in tracks:
        if track.kind == "character":
            track.character = name_character(track, frames, rows, style)
    return Reading(
        background=background,
        style=style,
        detections=detections,
        tracks=tracks,
        cuts=cuts,
        pan=pan,
        zoom=estimate_zoom(np.stack(rows), cuts),
        frame_size=frames.shape[1:3],
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
    parts = _background_segments()[background]
    if len(parts) == 2:
        # Pixel blocks and blur that straddle the horizon mix the sky's lowest colour with the ground's highest.
        parts = parts + [(parts[0][0], parts[1][1])]
    dist = np.min([_distance_to_segment(f.reshape(-1, 3), a, b) for a, b in parts], axis=0).reshape(H, W)
    fits = dist < tolerance
    enough = fits.sum(axis=1) >= 4
    rows = np.empty((H, 3), np.float32)
    rows[enough] = np.nanmedian(np.where(fits[enough, :, None], f[enough], np.nan), axis=1)
    for y in np.nonzero(~enough)[0]:
        med = np.median(f[y], axis=0).astype(float)
        candidates = [_nearest_on_segment(med, a, b) for a, b in parts]
        rows[y] = min(candidates, key=lambda c: np.linalg.norm(c - med))
    return rows.astype(np.float32)


def _nearest_on_segment(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    return a + np.clip((p - a) @ ab / (ab @ ab), 0, 1) * ab


def foreground_mask(frame: np.ndarray, row_colours: np.ndarray) -> np.ndarray:
    f = frame.astype(np.float32)
    diff = f - row_colours[:, None, :]
    far = np.linalg.norm(diff, axis=-1) > FOREGROUND_DISTANCE
    chroma = f.max(axis=-1) - f.min(axis=-1)
    bg_chroma = (row_colours.max(axis=-1) - row_colours.min(axis=-1))[:, None]
    # Clouds, stars and wave crests are paler and greyer than the sky or sea behind them: the
    # background lifted about evenly in every channel. A pale object (a mint character on
    # the dark sea) is lifted unevenly, so it stays. Where a cloud fills most of a row, the
    # row's colour is the cloud's, and the sky beside it shows as the same even shift down.
    lift = diff.mean(axis=-1)
    even = np.ptp(diff, axis=-1) < 20 + 0.35 * np.abs(lift)
    pale_grey = even & (chroma < bg_chroma + 25) & (lift > -CLOUD_SHADE)
    mask = far & ~pale_grey
    # A character's white eyes are pale and grey too, but lie inside its body: a hole in an
    # object whose pixels mostly stand out from the background is part of it (a ring's hole
    # shows the background and stays open).
    holes, n = ndimage.label(ndimage.binary_fill_holes(mask) & ~mask)
    if n:
        standing_out = np.concatenate([[False], ndimage.mean(far, holes, np.arange(1, n + 1)) > 0.5])
        mask |= standing_out[holes]
    return ndimage.binary_opening(mask, np.ones((2, 2), bool))


MAX_PAN_PX = 8  # largest per-frame camera slide searched, in pixels


def estimate_pan(frames: np.ndarray, masks: list[np.ndarray], rows: list[np.ndarray]) -> np.ndarray:
    """Per-frame horizontal slide of the background in pixels (0 for frame 0).

    The camera never rotates, so a pan slides the whole background sideways;
    the background's texture (its departure from the row colour, objects
    masked out) is correlated between neighbouring frames over a range of
    shifts, refined to sub-pixel by a parabola through the best three.
    """
    T = len(frames)
    residuals = []
    for f, m, r in zip(frames, masks, rows):
        res = f.astype(np.float32).mean(axis=-1) - r.mean(axis=-1)[:, None]
        res[ndimage.binary_dilation(m, iterations=2)] = 0.0
        residuals.append(res)
    shifts = np.arange(-MAX_PAN_PX, MAX_PAN_PX + 1)
    pan = np.zeros(T)
    for k in range(1, T):
        a, b = residuals[k - 1], residuals[k]
        W = a.shape[1]
        scores = np.array([
            np.mean(a[:, max(0, -s) : W - max(0, s)] * b[:, max(0, s) : W - max(0, -s)]) for s in shifts
        ])
        i = int(np.argmax(scores))
        offset = 0.0
        if 0 < i < len(shifts) - 1:
            y0, y1, y2 = scores[i - 1 : i + 2]
            denom = y0 - 2 * y1 + y2
            offset = 0.5 * (y0 - y2) / denom if denom else 0.0
        pan[k] = shifts[i] + offset
    return pan


ZOOM_STEP = 0.08  # largest change of log-magnification searched from one frame to the next
ZOOM_GRID = 33  # magnifications tried within that range


def estimate_zoom(rows: np.ndarray, cuts: list[int]) -> np.ndarray:
    """Per-frame magnification about the frame centre, relative to the shot's first frame.

    The camera zooms about the frame centre, so the background's row colours (its
    sky and ground gradients, the horizon) stretch or squeeze about the middle
    row; each frame's rows are matched with the shot's first by that stretch,
    searched near the previous frame's and refined by a parabola through the best
    three. A pan leaves the rows alone.
    """
    T, H, _ = rows.shape
    log_zoom = np.zeros(T)
    steps = np.linspace(-ZOOM_STEP, ZOOM_STEP, ZOOM_GRID)
    offset = np.arange(H) + 0.5 - H / 2
    for start, end in zip([0] + cuts, cuts + [T]):
        first = rows[start]
        for k in range(start + 1, end):
            tried = log_zoom[k - 1] + steps
            # Row r of frame k shows what row H/2 + offset/zoom showed in the shot's first frame.
            source = H / 2 - 0.5 + offset[None, :] * np.exp(-tried)[:, None]
            valid = (source >= 0) & (source <= H - 1)
            seen = np.stack([np.interp(source, np.arange(H), first[:, c]) for c in range(3)], axis=-1)
            err = np.abs(seen - rows[k][None]).mean(axis=-1)
            count = valid.sum(axis=1)
            score = np.where(count >= H // 3, (err * valid).sum(axis=1) / np.maximum(count, 1), np.inf)
            i = int(np.argmin(score))
            refine = 0.0
            if 0 < i < ZOOM_GRID - 1 and np.isfinite(score[i - 1 : i + 2]).all():
                y0, y1, y2 = score[i - 1 : i + 2]
                denom = y0 - 2 * y1 + y2
                refine = 0.5 * (y0 - y2) / denom if denom > 0 else 0.0
            log_zoom[k] = tried[i] + refine * (steps[1] - steps[0])
    return np.exp(log_zoom)


# --- style ---------------------------------------------------------------------

# Measured on 300 clips (seeds 20000-20299): the steepest edge steps cover >= 0.79 of their
# neighbourhood's contrast in flat clips, <= 0.51 in watercolour ones.
EDGE_SHARPNESS_WATERCOLOR = 0.65
# Share of the pixels just outside objects that show the cartoon outline where the
# background is dark: >= 0.25 in cartoon clips on the night background, <= 0.09 otherwise.
OUTLINE_RING_CARTOON = 0.15


def classify_style(frames: np.ndarray, masks: list[np.ndarray], rows: list[np.ndarray]) -> str:
    """flat / cartoon / pixel / watercolor from blockiness, outlines and edge softness."""
    if _blockiness(frames) > 0.85:
        return "pixel"
    f = frames.astype(np.float32)
    mask = np.stack(masks)
    box = np.ones((1, 3, 3), bool)
    # A character wears its own dark outline in every style: the cartoon outline is
    # looked for around shapes (objects in a paint colour) where there are any.
    shapes = _painted_objects(f, mask)
    outlined = shapes if shapes.any() else mask
    edge = outlined & ~ndimage.binary_erosion(outlined, box)
    if not edge.any():
        return "flat"
    if np.mean(f.max(axis=-1)[edge] < 70) > 0.35 or _outline_ring_share(f, outlined, np.stack(rows)) > OUTLINE_RING_CARTOON:
        return "cartoon"
    # Watercolour blurs every edge: the steepest one-pixel step across an object's edge
    # covers only part of the contrast around it (a dark outline next to a pale
    # background included, so the contrast is taken in the step's own neighbourhood).
    inner = ndimage.binary_erosion(mask, box, iterations=2)
    if not inner.any():  # only thin or small objects (a small ring): their cores are one pixel deep
        inner = ndimage.binary_erosion(mask, box)
    band = ndimage.binary_dilation(mask, box) & ~inner
    step = np.zeros(mask.shape, np.float32)
    step[:, :, 1:] = np.linalg.norm(np.diff(f, axis=2), axis=-1)
    step[:, 1:, :] = np.maximum(step[:, 1:, :], np.linalg.norm(np.diff(f, axis=1), axis=-1))
    window = (1, 5, 5, 1)
    spread = np.linalg.norm(ndimage.maximum_filter(f, window) - ndimage.minimum_filter(f, window), axis=-1)
    band &= spread > FOREGROUND_DISTANCE
    if not band.any():
        return "flat"
    sharpness = np.percentile(step[band] / spread[band], 95)
    return "watercolor" if sharpness < EDGE_SHARPNESS_WATERCOLOR else "flat"


PAINTED_SHARE = 0.25  # share of an object's pixels in a shape paint that makes it a shape, not a character


def _painted_objects(f: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The foreground objects (per frame) painted mostly in object colours, in any style's tones."""
    inks = np.unique(np.concatenate([_object_inks(style)[0] for style in vocab.STYLES]), axis=0)
    painted = np.zeros(mask.shape, bool)
    pixels = f[mask]
    painted[mask] = np.min([np.linalg.norm(pixels - ink, axis=-1) for ink in inks], axis=0) < INK_DISTANCE
    labels, n = ndimage.label(mask, np.pad(np.ones((1, 3, 3), bool), ((1, 1), (0, 0), (0, 0))))  # within each frame
    if not n:
        return painted
    share = np.concatenate([[0.0], ndimage.mean(painted, labels, np.arange(1, n + 1))])
    return share[labels] > PAINTED_SHARE


def _outline_ring_share(f: np.ndarray, mask: np.ndarray, rows: np.ndarray) -> float:
    """Share of the pixels just outside the foreground that look like the cartoon outline.

    On a dark background (night) the outline is too close to the background to
    be foreground, so it rings the mask from outside; only rows whose background
    differs from the outline's colour can tell.
    """
    ring = ndimage.binary_dilation(mask, np.ones((1, 3, 3), bool)) & ~mask
    ring &= (np.linalg.norm(rows - OUTLINE_RGB, axis=-1) > 20)[:, :, None]
    if not ring.any():
        return 0.0
    pixels, behind = f[ring], np.broadcast_to(rows[:, :, None, :], f.shape)[ring]
    to_outline = np.linalg.norm(pixels - OUTLINE_RGB, axis=-1)
    return float(np.mean((to_outline < 25) & (to_outline < np.linalg.norm(pixels - behind, axis=-1) - 5)))


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
    return _colour_hues()[0][int(_hue_names(np.asarray(rgb, float)))]


def _hue_names(rgb: np.ndarray) -> np.ndarray:
    """Index (in vocab.COLOURS) of the colour whose hue is nearest, for each RGB colour in ``rgb``."""
    _, hues = _colour_hues()
    d = np.abs(hues - _hue(np.asarray(rgb, float))[..., None])
    return np.argmin(np.minimum(d, 360 - d), axis=-1)


def detect_objects(frame: np.ndarray, mask: np.ndarray, k: int, style: str) -> list[Detection]:
    # Pieces a pixel apart are one object: a character's dark outline vanishes into a night
    # sky and leaves its ears or hat apart from its body.
    labels, _ = ndimage.label(ndimage.binary_dilation(mask, np.ones((3, 3), bool)), np.ones((3, 3), bool))
    labels[~mask] = 0
    H, W = mask.shape
    min_area = max(10.0, 0.0006 * H * W)
    found = []
    for idx, blob in enumerate(ndimage.find_objects(labels), start=1):
        comp = labels[blob] == idx
        if comp.sum() < min_area:
            continue
        for piece in split_touching(frame[blob], comp, style, min_area):
            inner = ndimage.find_objects(piece.astype(np.int8))[0]
            sl = tuple(slice(b.start + i.start, b.start + i.stop) for b, i in zip(blob, inner))
            clipped = sl[0].start == 0 or sl[1].start == 0 or sl[0].stop == H or sl[1].stop == W
            found.append(_detection(frame[sl], piece[inner], sl, k, style, clipped))
    return found


def _detection(rgb: np.ndarray, comp: np.ndarray, sl: tuple[slice, slice], k: int, style: str, clipped: bool) -> Detection:
    """Name one object from its pixels ``comp`` in the crop ``rgb`` taken at ``sl`` of frame ``k``."""
    ys, xs = np.nonzero(comp)
    y, x = ys.mean() + sl[0].start + 0.5, xs.mean() + sl[1].start + 0.5
    area = float(comp.sum())
    owner, misfit = nearest_prototype(rgb, comp, style)
    if owner >= 0:
        return Detection(k, x, y, area, "character", character=roster()[owner].name, clipped=clipped, character_misfit=misfit)
    pixels = rgb[comp].astype(np.float32)
    vivid = pixels[pixels.max(axis=1) - pixels.min(axis=1) > 50]
    colour = name_colour(np.median(vivid if len(vivid) else pixels, axis=0))
    return Detection(k, x, y, area, "shape", colour=colour, shape=classify_shape(comp, style), clipped=clipped)


INK_DISTANCE = 24.0  # RGB distance within which a pixel shows an object colour's own paint
SEED_MARGIN = 3  # pixels of blur, pixel blocks or outline between a paint region and its object's edge


@lru_cache(maxsize=None)
def _object_inks(style: str) -> tuple[np.ndarray, np.ndarray]:
    """Colours a shape's inside shows in ``style``, and the index of the colour name of each."""
    base = np.array([c.rgb for c in vocab.COLOURS.values()], np.float32)
    index = np.arange(len(base))
    if style == "cartoon":  # cel shading darkens the side away from the light
        base, index = np.concatenate([base, base * 0.78]), np.concatenate([index, index])
    elif style == "pixel":  # the reduced palette
        base = np.round(base / 16) * 16
    return base, index


def split_touching(rgb: np.ndarray, comp: np.ndarray, style: str, min_area: float) -> list[np.ndarray]:
    """Split a component where objects touch or overlap into one mask per object.

    Shapes are painted in one of a few known colours; the solid regions of one
    such paint are one object, and any thick part of the component that lies
    beyond the paint's blurred edges (a character, most often) is another. Each
    pixel then goes to the nearest of these seeds. A component with fewer than
    two seeds is one object.
    """
    inks, names = _object_inks(style)
    dist = np.linalg.norm(rgb.astype(np.float32)[:, :, None, :] - inks, axis=-1)
    paint = np.where(comp & (dist.min(axis=-1) < INK_DISTANCE), names[dist.argmin(axis=-1)], -1)
    # One seed per paint: texture, shading and a ring's hole break one object's paint into
    # pieces, and two touching objects of one colour cannot be told apart by colour anyway.
    solids = {name: ndimage.binary_opening(paint == name, np.ones((3, 3), bool)) for name in np.unique(paint[paint >= 0])}
    used = [name for name, solid in solids.items() if solid.sum() >= min_area]
    seeds = [solids[name] for name in used]
    if not seeds:
        return [comp]
    painted = ndimage.binary_dilation(np.any(seeds, axis=0), np.ones((3, 3), bool), iterations=SEED_MARGIN)
    rest, n = ndimage.label(comp & ~painted, np.ones((3, 3), bool))
    # Beyond the paint, only a part with a body of its own is another object; a star's
    # tips or an outline's rim are thin, and a part whose colours are mostly a paint's
    # hue is that paint in shade or blended at its edge (a ring's far side, a pixel-art rim).
    hue_names = _hue_names(rgb)
    vivid = np.ptp(rgb.astype(np.int16), axis=-1) > 50
    for i in range(1, n + 1):
        part = rest == i
        if ndimage.binary_erosion(part, iterations=2).sum() < min_area:
            continue
        coloured = part & vivid
        if coloured.any() and np.mean(np.isin(hue_names[coloured], used)) > 0.5:
            continue
        seeds.append(part)
    if len(seeds) < 2:
        return [comp]
    seed_of = np.zeros(comp.shape, np.int32)
    for i, seed in enumerate(seeds, start=1):
        seed_of[seed] = i
    nearest = ndimage.distance_transform_edt(seed_of == 0, return_distances=False, return_indices=True)
    owner = seed_of[tuple(nearest)]
    return [comp & (owner == i) for i in range(1, len(seeds) + 1)]


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


def _prototype_components(style: str, objects: list[ObjectSpec], background: str = "studio"):
    """Render objects spinning in mid-air on ``background``; yield (object, rgb, mask)."""
    spec = SceneSpec(seed=1, background=background, style=style, objects=objects, frames=6, fps=8)
    clip = render_clip(spec)
    for k, frame in enumerate(clip.frames):
        labels, _ = ndimage.label(foreground_mask(frame, background_rows(frame, background)), np.ones((3, 3), bool))
        for sl_idx, sl in enumerate(ndimage.find_objects(labels), start=1):
            comp = labels[sl] == sl_idx
            ys, xs = np.nonzero(comp)
            centre = np.array([xs.mean() + sl[1].start, ys.mean() + sl[0].start])
            screens = np.array([o["screen"][k] for o in clip.truth["objects"]])
            owner = int(np.argmin(np.linalg.norm(screens - centre, axis=1)))
            yield objects[owner], frame[sl], comp


def _spread(items: list[tuple], spin: float = 1.0) -> list[ObjectSpec]:
    """Lay out up to 9 prototypes on a 3x3 grid, each turning in place at its own rate."""
    return [
        ObjectSpec(size=size, material="wood", motion="spin", x=1.4 + 2.6 * (i % 3), y=1.3 + 2.6 * (i // 3),
                   spin=spin * (1.3 + 0.4 * i), **kwargs)
        for i, (size, kwargs) in enumerate(items)
    ]


def build_banks() -> None:
    """Render every style's template banks now (minutes on one core), e.g. once before
    worker processes fork, so that each does not render its own."""
    for style in vocab.STYLES:
        _prototype_bank(style), _shape_bank(style)


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
def _prototype_bank(style: str) -> tuple[np.ndarray, np.ndarray]:
    """Colour-layout descriptors of every character and every coloured shape, as
    rendered in ``style``; owner is the roster index, or -1 for a shape."""
    feats, owners = [], []
    characters = [(size, {"character": c.index}) for c in roster() for size in vocab.SIZES]
    shapes = [(size, {"shape": sh, "colour": col}) for sh in vocab.SHAPES for col in vocab.COLOURS for size in vocab.SIZES]
    # Shapes also on the night sky, where a cartoon outline or a watercolour rim is too dark to
    # be foreground, so that a shape's paint alone is not taken for a character.
    for items, background in ((characters + shapes, "studio"), (shapes, "night")):
        for chunk in range(0, len(items), 9):
            for spin in (0.0, 1.0):
                for obj, rgb, comp in _prototype_components(style, _spread(items[chunk : chunk + 9], spin), background):
                    feats.append(character_descriptor(rgb, comp, style))
                    owners.append(obj.character if obj.is_character else -1)
    return np.array(feats, dtype=np.float32), np.array(owners)


# Pixel blocks and watercolour blur mix a small character's palette colours; a histogram
# sorts the mixtures into classes arbitrarily, their mean colour keeps them. Weights measured
# on 1,700 character detections (seeds 22000-22239), share read right: pixel art 0.65 -> 0.93
# at medium size and 0.65 -> 0.71 at small, watercolour 0.74 -> 0.83 at small; flat and
# cartoon do best without.
MEAN_COLOUR_WEIGHT = {"pixel": 10.0, "watercolor": 2.0}


def character_descriptor(rgb: np.ndarray, mask: np.ndarray, style: str) -> np.ndarray:
    """Palette-colour histograms in concentric rings (rotation invariant) and in a
    3x3 grid over the bounding box (where the pattern sits on an upright body),
    the silhouette, and (in blending styles) the mean colour of each ring and cell."""
    n = len(_CHAR_COLOURS)
    cells = RINGS + 9
    # Edge pixels blend with whatever lies behind the object; leave them out when there is enough inside.
    inner = ndimage.binary_erosion(mask, iterations=2)
    ys, xs = np.nonzero(inner if inner.sum() >= 0.4 * mask.sum() else mask)
    if len(ys) == 0:
        return np.zeros(cells * (n + 3) + len(SILHOUETTE_SPREAD))
    pix = rgb[ys, xs].astype(np.float32)
    cls = np.argmin(((pix[:, None, :] - _CHAR_COLOURS[None]) ** 2).sum(-1), axis=1)
    r = np.hypot(ys - ys.mean(), xs - xs.mean())
    ring = np.minimum((r / (r.max() + 1e-6) * RINGS).astype(int), RINGS - 1)
    gy = np.minimum((ys - ys.min()) * 3 // (np.ptp(ys) + 1), 2)
    gx = np.minimum((xs - xs.min()) * 3 // (np.ptp(xs) + 1), 2)
    cell = np.concatenate([ring, RINGS + gy * 3 + gx])
    hist = np.zeros((cells, n))
    np.add.at(hist, (cell, np.concatenate([cls, cls])), 1)
    counts = np.maximum(hist.sum(axis=1, keepdims=True), 1)
    hist /= counts
    mean = np.zeros((cells, 3))
    np.add.at(mean, cell, np.concatenate([pix, pix]) / 255.0)
    mean *= MEAN_COLOUR_WEIGHT.get(style, 0.0) / counts
    # The silhouette tells round, square and bean bodies apart when blur or pixelation mixes their colours.
    silhouette = SILHOUETTE_WEIGHT * shape_features(mask) / SILHOUETTE_SPREAD
    return np.concatenate([hist.ravel(), silhouette, mean.ravel()])


def nearest_prototype(rgb: np.ndarray, mask: np.ndarray, style: str) -> tuple[int, np.ndarray]:
    """Roster index of the nearest prototype by colour layout (-1 if it is a shape), and
    how much farther each character's nearest prototype lies than the nearest character's."""
    feats, owners = _prototype_bank(style)
    dist = cdist(character_descriptor(rgb, mask, style)[None].astype(np.float32), feats, "cityblock")[0]
    per_character = np.full(len(roster()), np.inf)
    np.minimum.at(per_character, owners[owners >= 0], dist[owners >= 0])
    return int(owners[int(np.argmin(dist))]), per_character - per_character.min()


# --- shots and tracks ----------------------------------------------------------

CUT_SCORE = 9.0  # measured: continuous frames score <= 7.4, cuts mostly >= 11.8 (200 clips)


def detect_cuts(frames: np.ndarray, rows: np.ndarray) -> list[int]:
    """Frames that start a new shot.

    A cut changes the framing at once: the background's row colours (where the
    horizon and gradient sit) and the coarse layout jump together. Each jump is
    taken relative to the clip's typical one, so steady zooms and pans, which
    change every frame a little, do not count.
    """
    if len(frames) < 2:
        return []
    T, H, W, _ = frames.shape
    b = max(1, H // 16)
    coarse = frames[:, : H - H % b, : W - W % b].astype(np.float32)
    coarse = coarse.reshape(T, H // b, b, W // b, b, 3).mean(axis=(2, 4))
    layout_jump = np.abs(np.diff(coarse, axis=0)).mean(axis=(1, 2, 3))
    row_jump = np.abs(np.diff(rows, axis=0)).mean(axis=(1, 2))
    score = row_jump / (np.median(row_jump) + 0.3) + layout_jump / (np.median(layout_jump) + 0.5)
    return [k + 1 for k in np.nonzero(score > CUT_SCORE)[0]]


MAX_GAP = 6  # frames an object may go unseen (merged with another in a collision, hidden) and keep its track


def link_tracks(detections: list[list[Detection]], T: int, cuts: list[int]) -> list[Track]:
    """Follow objects by position, then name each track by an area-weighted vote.

    Linking ignores labels, so a frame where an object is misread (too small,
    half hidden) does not split its track; the vote then names the object by
    what most of its pixels said. A cut ends every track.
    """
    open_tracks: list[list[Detection]] = []
    finished: list[list[Detection]] = []
    for k, dets in enumerate(detections):
        if k in cuts:
            finished += open_tracks
            open_tracks = []
        alive = [t for t in open_tracks if t[-1].frame >= k - MAX_GAP]
        finished += [t for t in open_tracks if t[-1].frame < k - MAX_GAP]
        cost = np.full((len(dets), len(alive)), np.inf)
        for i, d in enumerate(dets):
            for j, t in enumerate(alive):
                last = t[-1]
                reach = 3.0 * (np.sqrt(last.area) + np.sqrt(d.area)) * (k - last.frame)
                dist = np.hypot(d.x - last.x, d.y - last.y)
                if dist <= reach:
                    cost[i, j] = dist + (0 if _label(d) == _label(last) else np.sqrt(d.area))
        matched = {}
        if dets and alive:
            rows, cols = linear_sum_assignment(np.where(np.isfinite(cost), cost, 1e9))
            matched = {i: alive[j] for i, j in zip(rows, cols) if np.isfinite(cost[i, j])}
        for i, d in enumerate(dets):
            if i in matched:
                matched[i].append(d)
            else:
                alive.append([d])
        open_tracks = alive
    return [_voted_track(t, T) for t in finished + open_tracks]


def _voted_track(dets: list[Detection], T: int) -> Track:
    votes: dict[tuple, float] = {}
    for d in dets:
        votes[_label(d)] = votes.get(_label(d), 0.0) + _say(d)
    label = max(votes, key=votes.get)
    misfit = None
    if label[0] == "character":
        # Look-alike characters (same body, different pattern) swap from frame to frame when
        # blurred or pixelated; the one that fits best over all frames names the track.
        said = [d for d in dets if d.kind == "character"]
        misfit = sum(d.character_misfit * _say(d) for d in said) / sum(_say(d) for d in said)
        label = ("character", roster()[int(np.argmin(misfit))].name)
    xy, area = np.full((T, 2), np.nan), np.full(T, np.nan)
    clipped = np.zeros(T, bool)
    frame_labels: list[str | None] = [None] * T
    for d in dets:
        xy[d.frame], area[d.frame], clipped[d.frame] = (d.x, d.y), d.area, d.clipped
        frame_labels[d.frame] = _label_text(_label(d))
    kind = label[0]
    return Track(
        kind=kind,
        colour=label[1] if kind == "shape" else None,
        shape=label[2] if kind == "shape" else None,
        character=label[1] if kind == "character" else None,
        xy=xy,
        area=area,
        frame_labels=frame_labels,
        clipped=clipped,
        character_misfit=misfit,
    )


def _say(d: Detection) -> float:
    """How much a detection counts when naming its track: its area, little if the border cut it."""
    return d.area * (0.05 if d.clipped else 1.0)


def _label(d: Detection) -> tuple:
    return (d.kind, d.character) if d.kind == "character" else (d.kind, d.colour, d.shape)


def _label_text(label: tuple) -> str:
    return " ".join(label[1:])
