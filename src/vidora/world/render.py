"""Rasteriser: turns a simulated scene and its camera path into RGB frames.

The camera never rotates, so every pixel column maps to one world x and every
row to one world y; backgrounds are evaluated separably on those two axes.
Shapes are drawn from signed distance functions with one-pixel anti-aliasing;
characters are sampled from their sprite. Art styles are applied last, using
the per-pixel object labels (for outlines and edge effects).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import ndimage

from vidora.world import vocab
from vidora.world.camera import world_to_screen
from vidora.world.characters import sprite
from vidora.world.physics import Trajectory
from vidora.world.spec import SceneSpec

SPRITE_EXTENT = 1.12  # a sprite spans this many collision radii either side of its centre
OUTLINE_RGB = np.array([20, 20, 24], dtype=np.float32)
GRAIN_CELLS = 16  # grain cells per world unit: about one pixel in the wide framing at 128 px


@dataclass
class Rendered:
    frames: np.ndarray  # (T, H, W, 3) uint8
    labels: np.ndarray  # (T, H, W) int16, -1 background else object index (topmost)
    visibility: np.ndarray  # (T, N) share of each object's area that is on screen and unoccluded
    screen: np.ndarray  # (T, N, 2) object centres in pixels (x right, y down)


def render(spec: SceneSpec, traj: Trajectory, cams: np.ndarray) -> Rendered:
    T, H, W = spec.frames, spec.height, spec.width
    n = len(spec.objects)
    frames = np.zeros((T, H, W, 3), dtype=np.float32)
    labels = np.full((T, H, W), -1, dtype=np.int16)
    expected_area = np.zeros((T, n))
    screen = np.zeros((T, n, 2))
    rng = np.random.default_rng(spec.seed)
    scenery = _Scenery(spec.background, rng)
    for k in range(T):
        cam = cams[k]
        xs, ys = _pixel_world_axes(cam, W, H)
        frame = scenery.draw(xs, ys, k / spec.fps, cam, W, H)
        ppu = H / cam[2]
        screen[k] = world_to_screen(traj.pos[k], cam, W, H)
        for i, obj in enumerate(spec.objects):
            area = _draw_object(frame, labels[k], i, obj, traj, k, screen[k, i], ppu, spec.style)
            expected_area[k, i] = area
        frames[k] = frame
    visible_counts = np.stack([(labels == i).sum(axis=(1, 2)) for i in range(n)], axis=1)
    visibility = np.clip(visible_counts / np.maximum(expected_area, 1e-6), 0, 1)
    frames = apply_style(frames, labels, spec.style, spec.seed)
    return Rendered(frames=frames, labels=labels, visibility=visibility, screen=screen)


def _pixel_world_axes(cam: np.ndarray, W: int, H: int) -> tuple[np.ndarray, np.ndarray]:
    cx, cy, vh = cam
    scale = vh / H
    xs = cx + (np.arange(W) + 0.5 - W / 2) * scale
    ys = cy - (np.arange(H) + 0.5 - H / 2) * scale
    return xs, ys


class _Scenery:
    """A background: gradient sky and ground with a texture, in world coordinates."""

    def __init__(self, name: str, rng: np.random.Generator):
        self.bg = vocab.BACKGROUNDS[name]
        # Texture parameters are drawn per clip so no two skies are identical.
        self.clouds = rng.uniform([-4, 4.5, 0.6, 0.25], [12, 7.5, 1.4, 0.5], size=(5, 4))
        self.stars = rng.uniform([-6, 2.0], [14, 9.0], size=(70, 2))
        self.phase = rng.uniform(0, 2 * np.pi, size=4)
        self.grain = rng.normal(0, 1, size=4099).astype(np.float32)

    def draw(self, xs, ys, t, cam, W, H) -> np.ndarray:
        bg = self.bg
        top, bottom = np.array(bg.sky_top, np.float32), np.array(bg.sky_bottom, np.float32)
        u = np.clip((ys - bg.horizon_y) / (vocab.WORLD_H + 1 - bg.horizon_y), 0, 1)[:, None]
        column = bottom + (top - bottom) * u  # (H, 3)
        sky_rows = ys >= bg.horizon_y
        if bg.ground_top is not None:
            g_top, g_bottom = np.array(bg.ground_top, np.float32), np.array(bg.ground_bottom, np.float32)
            g = np.clip((bg.horizon_y - ys) / (bg.horizon_y + 1.0), 0, 1)[:, None]
            column = np.where(sky_rows[:, None], column, g_top + (g_bottom - g_top) * g)
        frame = np.broadcast_to(column[:, None, :], (H, W, 3)).copy()
        X, Y = xs[None, :], ys[:, None]
        shade = np.zeros((H, W), np.float32)
        ground = ~sky_rows[:, None]
        p = self.phase
        if bg.texture == "clouds":
            for cxw, cyw, rad, amp in self.clouds:
                shade += 90 * amp * np.exp(-(((X - cxw - 0.2 * t) / (rad * 1.8)) ** 2 + ((Y - cyw) / rad) ** 2))
        elif bg.texture == "blades":
            blades = np.sin(X * 37 + 4 * np.sin(X * 5.3 + p[0])) * np.sin(X * 13 + p[1])
            shade += np.where(ground, -12 * (blades > 0.3) * np.clip((bg.horizon_y - Y) / 0.6, 0, 1), 0)
        elif bg.texture == "waves":
            crest = np.sin(Y * 14 + 1.5 * np.sin(X * 1.3 + p[0]) + t * 2.5)  # crests bob; they do not drift sideways
            shade += np.where(ground, 16 * (crest > 0.8), 0)
        elif bg.texture == "dunes":
            shade += np.where(ground, 9 * np.sin(Y * 5 + 1.4 * np.sin(X * 0.8 + p[0])), 0)
        elif bg.texture == "tiles":
            lines = (np.abs(((X + 0.5) % 1.0) - 0.5) < 0.025) & ground
            shade -= 14 * lines
            shade += np.where(~ground, -6 * (np.abs(((X + 1.0) % 2.0) - 1.0) < 0.03), 0)
        frame += shade[..., None]
        if bg.texture == "stars":
            self._draw_stars(frame, t, cam, W, H)
        # Fine grain on every surface, tied to world coordinates so it travels with a camera move.
        gx = np.floor(xs * GRAIN_CELLS).astype(np.int64)[None, :]
        gy = np.floor(ys * GRAIN_CELLS).astype(np.int64)[:, None]
        frame += 2.5 * self.grain[(gx * 7919 + gy * 104729) % self.grain.size][..., None]
        return frame

    def _draw_stars(self, frame, t, cam, W, H) -> None:
        pts = world_to_screen(self.stars, cam, W, H)
        twinkle = 0.7 + 0.3 * np.sin(t * 3 + self.stars[:, 0] * 7)
        for (px, py), b in zip(pts, twinkle):
            ix, iy = int(px), int(py)
            if 0 <= ix < W and 0 <= iy < H and self.stars_above_horizon(iy, cam, H):
                frame[iy, ix] = 120 + 110 * b

    def stars_above_horizon(self, iy: int, cam, H: int) -> bool:
        y = cam[1] - (iy + 0.5 - H / 2) * cam[2] / H
        return y > self.bg.horizon_y + 0.3


def shape_sdf(shape: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Signed distance (unit = collision radius, negative inside) of a shape at the origin."""
    if shape == "ball":
        return np.hypot(u, v) - 1.0
    if shape == "box":
        qx, qy = np.abs(u) - 0.78, np.abs(v) - 0.78
        return np.hypot(np.maximum(qx, 0), np.maximum(qy, 0)) + np.minimum(np.maximum(qx, qy), 0) - 0.08
    if shape == "ring":
        return np.abs(np.hypot(u, v) - 0.74) - 0.26
    if shape == "triangle":
        return _polygon_sdf(u, v, _regular_polygon(3, 1.18, 1.18))
    if shape == "star":
        return _polygon_sdf(u, v, _regular_polygon(5, 1.2, 0.5))
    raise ValueError(f"unknown shape {shape!r}")


@lru_cache(maxsize=None)
def _regular_polygon(points: int, outer: float, inner: float) -> np.ndarray:
    """Vertices of a regular polygon (inner == outer) or star, pointing up (v is up)."""
    count = points * (1 if inner == outer else 2)
    angles = np.pi / 2 + np.arange(count) * 2 * np.pi / count
    radii = np.where(np.arange(count) % 2 == 0, outer, inner) if inner != outer else np.full(count, outer)
    return np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)


def _polygon_sdf(u: np.ndarray, v: np.ndarray, verts: np.ndarray) -> np.ndarray:
    """Exact signed distance to a simple polygon (even-odd inside test)."""
    d = np.full(u.shape, np.inf)
    inside = np.zeros(u.shape, dtype=bool)
    for (ax, ay), (bx, by) in zip(verts, np.roll(verts, -1, axis=0)):
        ex, ey = bx - ax, by - ay
        wx, wy = u - ax, v - ay
        h = np.clip((wx * ex + wy * ey) / (ex * ex + ey * ey), 0, 1)
        d = np.minimum(d, np.hypot(wx - ex * h, wy - ey * h))
        crosses = ((ay > v) != (by > v)) & (u < ax + (v - ay) * ex / (ey + 1e-12))
        inside ^= crosses
    return np.where(inside, -d, d)


def _draw_object(frame, labels, i, obj, traj: Trajectory, k, centre, ppu, style) -> float:
    """Composite object ``i`` into ``frame``; return its full (unclipped) pixel area."""
    H, W = labels.shape
    radius_px = obj.radius * traj.scale[k, i] * ppu
    reach = radius_px * (SPRITE_EXTENT if obj.is_character else 1.25) + 2
    x0, x1 = int(np.floor(centre[0] - reach)), int(np.ceil(centre[0] + reach)) + 1
    y0, y1 = int(np.floor(centre[1] - reach)), int(np.ceil(centre[1] + reach)) + 1
    cx0, cx1, cy0, cy1 = max(x0, 0), min(x1, W), max(y0, 0), min(y1, H)
    angle = traj.angle[k, i]
    if obj.is_character:
        full_area = sprite_area(obj.character) * (2 * SPRITE_EXTENT * radius_px) ** 2
    else:
        full_area = _shape_area(obj.shape) * radius_px**2
    if cx0 >= cx1 or cy0 >= cy1:
        return full_area
    py, px = np.mgrid[cy0:cy1, cx0:cx1]
    region = frame[cy0:cy1, cx0:cx1]
    if obj.is_character:
        colour, alpha = character_layer(obj.character, py, px, centre, radius_px, angle)
    else:
        u, v = object_units(py, px, centre, radius_px, angle)
        cos, sin = np.cos(angle), np.sin(angle)
        sdf_px = shape_sdf(obj.shape, u, v) * radius_px
        alpha = np.clip(0.5 - sdf_px, 0, 1)
        base = np.array(vocab.COLOURS[obj.colour].rgb, np.float32)
        colour = np.broadcast_to(base, region.shape).copy()
        if style == "cartoon":
            # Cel shading: one darker tone on the side away from the light (upper left).
            lit = (u * cos - v * sin) * -0.6 + (u * sin + v * cos) * 0.8
            colour[lit < -0.35] *= 0.78
    region[:] = region * (1 - alpha[..., None]) + colour * alpha[..., None]
    labels[cy0:cy1, cx0:cx1][alpha > 0.5] = i
    return full_area


def object_units(py: np.ndarray, px: np.ndarray, centre, radius_px: float, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel grid (rows ``py``, columns ``px``) in the local units of an object centred at
    ``centre`` (pixels, x right, y down): collision radius 1, its rotation undone, v up."""
    cos, sin = np.cos(angle), np.sin(angle)
    dx = (px + 0.5 - centre[0]) / radius_px
    dy = -(py + 0.5 - centre[1]) / radius_px
    return cos * dx + sin * dy, -sin * dx + cos * dy


def character_layer(index: int, py: np.ndarray, px: np.ndarray, centre, radius_px: float, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Colour (..., 3) and coverage (..., in [0, 1]) of character ``index`` over the pixel grid
    ``py, px``, placed as in ``object_units``."""
    rgba = _sample_sprite(index, *object_units(py, px, centre, radius_px, angle))
    return rgba[..., :3], rgba[..., 3] / 255.0


@lru_cache(maxsize=None)
def _shape_area(shape: str) -> float:
    """Area of a shape in squared collision radii (measured on a fine grid)."""
    g = (np.arange(400) + 0.5) / 200 - 1.0
    u, v = np.meshgrid(g * 1.3, g * 1.3)
    return float((shape_sdf(shape, u, v) < 0).mean() * (2.6**2))


@lru_cache(maxsize=None)
def sprite_area(index: int) -> float:
    """Share of the square a character's sprite spans (SPRITE_EXTENT radii either side) that it covers."""
    return float((sprite(index)[..., 3] > 127).mean())


def _sample_sprite(index: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    img = sprite(index).astype(np.float32)
    s = img.shape[0]
    col = (u / SPRITE_EXTENT + 1) / 2 * s - 0.5
    row = (-v / SPRITE_EXTENT + 1) / 2 * s - 0.5
    out = np.stack(
        [ndimage.map_coordinates(img[..., c], [row, col], order=1, mode="constant", cval=0.0) for c in range(4)],
        axis=-1,
    )
    return out


def pixel_block(frame_height: int) -> int:
    """Side of the pixel-art style's blocks, in pixels."""
    return max(2, round(frame_height / 64))


def apply_style(frames: np.ndarray, labels: np.ndarray, style: str, seed: int, frame_height: int | None = None) -> np.ndarray:
    """Apply an art style to float frames (T, H, W, 3); return uint8 frames.

    ``frames`` may be a crop of taller frames, ``frame_height`` high: the style's scale
    (outline width, pixel block, blur) follows the whole frame. A pixel-art crop should
    start on the block grid.
    """
    T, H, W, _ = frames.shape
    scale_height = H if frame_height is None else frame_height
    if style == "cartoon":
        thickness = max(1, round(scale_height / 128))
        objects = labels >= 0
        edges = np.zeros_like(objects)
        for axis in (1, 2):
            for shift in (1, -1):
                edges |= labels != np.roll(labels, shift, axis=axis)
        edges &= objects | ndimage.binary_dilation(objects, np.ones((1, 3, 3), bool), iterations=1)
        if thickness > 1:
            edges = ndimage.binary_dilation(edges, np.ones((1, 3, 3), bool), iterations=thickness - 1)
        # Flatter background tones, as in cel animation.
        bg = ~objects[..., None]
        frames = np.where(bg, np.round(frames / 12) * 12, frames)
        frames[edges] = OUTLINE_RGB
    elif style == "pixel":
        block = pixel_block(scale_height)
        ph, pw = -H % block, -W % block
        padded = np.pad(frames, ((0, 0), (0, ph), (0, pw), (0, 0)), mode="edge")
        h2, w2 = padded.shape[1] // block, padded.shape[2] // block
        small = padded.reshape(T, h2, block, w2, block, 3).mean(axis=(2, 4))
        small = np.round(small / 16) * 16  # a reduced palette, fine enough to keep hues
        frames = small.repeat(block, axis=1).repeat(block, axis=2)[:, :H, :W]
    elif style == "watercolor":
        # Pigment pools at the rim of each wash; the washes keep their colour.
        objects = labels >= 0
        edge = objects ^ ndimage.binary_erosion(objects, np.ones((1, 3, 3), bool))
        frames[edge] *= 0.8
        sigma = 0.9 * scale_height / 128
        frames = ndimage.gaussian_filter(frames, sigma=(0, sigma, sigma, 0))
        paper = np.random.default_rng(seed).normal(0, 1, size=(H, W)).astype(np.float32)
        paper = ndimage.gaussian_filter(paper, 1.2) * 18
        frames = frames * (1 + paper[None, ..., None] / 255)
    return np.clip(np.round(frames), 0, 255).astype(np.uint8)
