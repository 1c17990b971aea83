"""The visible watermark: a "Vidora" mark with the creator's handle that moves around the frame.

Like Sora's, the mark jumps between positions over time, so cropping one corner away does not
remove it from the whole video. It is white with a dark outline at 80% opacity (readable over
sky, snow and night alike) and scales with the frame: 11 px text at 128x128, 36 px at 720p.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vidora.errors import VidoraError

SECONDS_PER_POSITION = 1.0
# Where the mark goes, in turn: fractions of the free space (left to right, top to bottom).
POSITIONS = ((0.04, 0.04), (0.96, 0.5), (0.04, 0.96), (0.96, 0.04), (0.04, 0.5), (0.96, 0.96))
OPACITY = 0.8
MAX_HANDLE = 24  # characters shown; longer handles are cut with an ellipsis


def mark_positions(frame_count: int, fps: float, width: int, height: int, handle: str) -> list[tuple[int, int]]:
    """Top-left corner of the mark in each frame."""
    label = _label(handle, min(width, height))
    free_x, free_y = width - label.shape[1], height - label.shape[0]
    corners = [(round(fx * max(free_x, 0)), round(fy * max(free_y, 0))) for fx, fy in POSITIONS]
    return [corners[int(i / fps / SECONDS_PER_POSITION) % len(corners)] for i in range(frame_count)]


def add_visible_mark(frames: np.ndarray, fps: float, handle: str) -> np.ndarray:
    """A copy of ``frames`` (T, H, W, 3) uint8 with the moving "Vidora @handle" mark."""
    frames = np.asarray(frames)
    if frames.dtype != np.uint8 or frames.ndim != 4 or frames.shape[-1] != 3:
        raise VidoraError(f"frames must be uint8 (T, H, W, 3), got {frames.dtype} {frames.shape}")
    count, height, width = frames.shape[:3]
    label = _label(handle, min(width, height))  # (h, w, 2): brightness and coverage
    h, w = min(label.shape[0], height), min(label.shape[1], width)
    value, alpha = label[:h, :w, :1], label[:h, :w, 1:] * OPACITY
    out = frames.copy()
    for index, (x, y) in enumerate(mark_positions(count, fps, width, height, handle)):
        region = out[index, y:y + h, x:x + w].astype(np.float32)
        out[index, y:y + h, x:x + w] = np.round(region * (1 - alpha) + value * alpha).astype(np.uint8)
    return out


@lru_cache(maxsize=64)
def _label(handle: str, frame_side: int) -> np.ndarray:
    """The mark rendered once per handle and size: (h, w, 2) float32, brightness 0-255 and coverage 0-1."""
    handle = handle.strip().lstrip("@")
    if len(handle) > MAX_HANDLE:
        handle = handle[:MAX_HANDLE - 1] + "…"
    big = max(11, round(frame_side * 0.05))  # the shorter side: 11 px at 128, 36 px at 720
    small = max(8, round(big * 0.8))
    lines = [("Vidora", ImageFont.load_default(size=big))] + ([(f"@{handle}", ImageFont.load_default(size=small))] if handle else [])
    stroke = max(1, big // 10)
    boxes = [font.getbbox(text, stroke_width=stroke) for text, font in lines]
    width = max(box[2] - box[0] for box in boxes) + 2
    heights = [box[3] - box[1] for box in boxes]
    canvas_fill = Image.new("L", (width, sum(heights) + 2), 0)
    canvas_cover = Image.new("L", canvas_fill.size, 0)
    y = 1
    for (text, font), box, line_height in zip(lines, boxes, heights):
        origin = (1 - box[0], y - box[1])
        # Outline: dark and fully covering; text: white on top.
        ImageDraw.Draw(canvas_cover).text(origin, text, font=font, fill=255, stroke_width=stroke, stroke_fill=255)
        ImageDraw.Draw(canvas_fill).text(origin, text, font=font, fill=255, stroke_width=stroke, stroke_fill=0)
        y += line_height
    value = np.asarray(canvas_fill, np.float32)
    cover = np.asarray(canvas_cover, np.float32) / 255.0
    return np.stack([value, cover], axis=-1)
