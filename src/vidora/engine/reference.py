"""Reference images (a character, a logo) as the model sees them: centred on a plain canvas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from vidora.errors import SpecError

CANVAS_GREY = 128
REFERENCE_FILL = 0.5  # the reference's longer side spans this share of the canvas


def load_reference(source: str | Path | np.ndarray) -> np.ndarray:
    """An RGBA uint8 array from a PNG/JPEG path or an (H, W, 3|4) array; a clear error otherwise."""
    if isinstance(source, np.ndarray):
        image = source
    else:
        try:
            with Image.open(source) as im:
                image = np.asarray(im.convert("RGBA"))
        except FileNotFoundError:
            raise SpecError(f"reference: no such file {source}") from None
        except (UnidentifiedImageError, OSError) as exc:
            raise SpecError(f"reference: {source} is not an image ({exc})") from None
    if image.ndim != 3 or image.shape[2] not in (3, 4) or image.dtype != np.uint8:
        raise SpecError(f"reference: expected an (H, W, 3 or 4) uint8 image, got {image.shape} {image.dtype}")
    if image.shape[2] == 3:
        image = np.concatenate([image, np.full(image.shape[:2] + (1,), 255, np.uint8)], axis=2)
    return image


def reference_canvas(source: str | Path | np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(H, W, 3) uint8: the reference scaled to REFERENCE_FILL of the canvas, over plain grey."""
    rgba = load_reference(source)
    width, height = size
    side = max(2, round(REFERENCE_FILL * min(width, height)))
    scale = side / max(rgba.shape[:2])
    target = (max(1, round(rgba.shape[1] * scale)), max(1, round(rgba.shape[0] * scale)))
    small = np.asarray(Image.fromarray(rgba, "RGBA").resize(target, Image.LANCZOS)).astype(np.float32)
    canvas = np.full((height, width, 3), CANVAS_GREY, np.float32)
    y, x = (height - target[1]) // 2, (width - target[0]) // 2
    alpha = small[..., 3:] / 255.0
    region = canvas[y : y + target[1], x : x + target[0]]
    canvas[y : y + target[1], x : x + target[0]] = alpha * small[..., :3] + (1 - alpha) * region
    return canvas.round().astype(np.uint8)
