"""Still and animated pictures of clips: thumbnails, previews, contact sheets."""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

from vidora.errors import MediaError
from vidora.media.atomic import atomic_output
from vidora.media.checks import check_frames, check_positive_int
from vidora.media.reader import Clip

PREVIEW_FORMATS = {".gif": "GIF", ".webp": "WEBP"}
# GIF stores frame delays in hundredths of a second, WebP in milliseconds.
DELAY_STEP_MS = {"GIF": 10, "WEBP": 1}

SHEET_BACKGROUND = (24, 24, 24)
SHEET_TEXT = (235, 235, 235)
SHEET_GAP = 4  # pixels between and around cells


def save_thumbnail(
    frames: np.ndarray, path: str | os.PathLike[str], index: int | None = None
) -> Path:
    """Save frame `index` (default: the middle one) of (T, H, W, 3) uint8 `frames` as a PNG."""
    frames = check_frames(frames)
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise MediaError(f"thumbnail must be a .png file: {target.name}")
    count = len(frames)
    chosen = count // 2 if index is None else index
    if not isinstance(chosen, numbers.Integral) or not -count <= chosen < count:
        raise MediaError(
            f"thumbnail index must be an integer from {-count} to {count - 1}, got {chosen!r}"
        )
    with atomic_output(target) as tmp:
        Image.fromarray(frames[chosen]).save(tmp, format="PNG")
    return target


def save_preview(
    frames: np.ndarray, path: str | os.PathLike[str], fps: int | float | Fraction
) -> Path:
    """Save (T, H, W, 3) uint8 `frames` as a looping animation: WebP for .webp, GIF for .gif.

    Pillow's GIF writer merges identical consecutive frames into one longer
    frame, so a GIF of a still scene can hold fewer than T frames.
    """
    frames = check_frames(frames)
    target = Path(path)
    image_format = PREVIEW_FORMATS.get(target.suffix.lower())
    if image_format is None:
        raise MediaError(f"preview must be a .webp or .gif file: {target.name}")
    if isinstance(fps, bool) or not isinstance(fps, numbers.Real) or not 0 < fps < math.inf:
        raise MediaError(f"fps must be a positive number, got {fps!r}")
    images = [Image.fromarray(frame) for frame in frames]
    durations = _frame_delays_ms(len(images), Fraction(fps), DELAY_STEP_MS[image_format])
    with atomic_output(target) as tmp:
        images[0].save(
            tmp,
            format=image_format,
            save_all=True,
            append_images=images[1:],
            duration=durations,
            loop=0,
        )
    return target


def sample_indices(count: int, samples: int) -> list[int]:
    """``samples`` frame indices spread evenly over ``count`` frames, first and last included."""
    if count <= 0:
        return []
    return sorted({int(round(i)) for i in np.linspace(0, count - 1, min(samples, count))})


def contact_sheet(
    clips: Sequence[np.ndarray | Clip],
    frames_per_clip: int = 6,
    labels: Sequence[str] | None = None,
    cell_size: tuple[int, int] | None = None,
) -> Image.Image:
    """Lay out clips as a grid: one row per clip of `frames_per_clip` evenly spaced frames.

    Each clip is a (T, H, W, 3) uint8 array or a Clip. `labels` puts one line
    of text above each row. `cell_size` is (width, height) of every frame
    cell (default: the first clip's frame size); frames are scaled to fit
    with their aspect ratio kept. A clip with fewer than `frames_per_clip`
    frames shows each of its frames once.
    """
    if not clips:
        raise MediaError("contact sheet needs at least one clip")
    check_positive_int(frames_per_clip, "frames_per_clip")
    if labels is not None and len(labels) != len(clips):
        raise MediaError(f"got {len(labels)} labels for {len(clips)} clips")
    rows = [check_frames(clip.frames if isinstance(clip, Clip) else clip) for clip in clips]
    cell_width, cell_height = cell_size or (rows[0].shape[2], rows[0].shape[1])
    if cell_width < 1 or cell_height < 1:
        raise MediaError(f"cell size must be positive, got {cell_width}x{cell_height}")

    font = ImageFont.load_default()
    label_height = _text_height(font) + SHEET_GAP if labels is not None else 0
    row_height = label_height + cell_height + SHEET_GAP
    sheet_width = frames_per_clip * (cell_width + SHEET_GAP) + SHEET_GAP
    sheet_height = len(rows) * row_height + SHEET_GAP
    sheet = Image.new("RGB", (sheet_width, sheet_height), SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for row, frames in enumerate(rows):
        top = SHEET_GAP + row * row_height
        if labels is not None:
            draw.text((SHEET_GAP, top), labels[row], fill=SHEET_TEXT, font=font)
        for column, index in enumerate(sample_indices(len(frames), frames_per_clip)):
            cell = ImageOps.pad(
                Image.fromarray(frames[index]), (cell_width, cell_height), color=SHEET_BACKGROUND
            )
            left = SHEET_GAP + column * (cell_width + SHEET_GAP)
            sheet.paste(cell, (left, top + label_height))
    return sheet


def save_contact_sheet(
    clips: Sequence[np.ndarray | Clip],
    path: str | os.PathLike[str],
    frames_per_clip: int = 6,
    labels: Sequence[str] | None = None,
    cell_size: tuple[int, int] | None = None,
) -> Path:
    """Build a contact_sheet(...) and save it as a PNG at `path`."""
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise MediaError(f"contact sheet must be a .png file: {target.name}")
    sheet = contact_sheet(
        clips, frames_per_clip=frames_per_clip, labels=labels, cell_size=cell_size
    )
    with atomic_output(target) as tmp:
        sheet.save(tmp, format="PNG")
    return target


def _frame_delays_ms(count: int, fps: Fraction, step_ms: int) -> list[int]:
    """Per-frame delays, rounded to the format's step, that add up to the true duration.

    Rounding every delay the same way would drift (16 fps is 62.5 ms, which a
    GIF stores as 60 ms); rounding the cumulative end times instead keeps the
    animation in time overall.
    """
    ends = [round(Fraction(1000 * i) / fps / step_ms) * step_ms for i in range(count + 1)]
    return [max(step_ms, end - start) for start, end in zip(ends, ends[1:])]


def _text_height(font: ImageFont.ImageFont | ImageFont.FreeTypeFont) -> int:
    """Height in pixels of one line of label text, descenders included."""
    return int(font.getbbox("Ag")[3])
