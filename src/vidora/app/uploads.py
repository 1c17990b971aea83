"""Checking uploaded images and videos by their content before anything uses them."""

from __future__ import annotations

import warnings

from django.core.exceptions import ValidationError
from PIL import Image

IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 4096


def validate_image(upload) -> None:
    """Raise ValidationError unless ``upload`` is a PNG/JPEG/WebP of sane size (decompression bombs refused)."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(f"The image is {upload.size / 1e6:.1f} MB; the limit is {MAX_IMAGE_BYTES // 2**20} MB.")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind, (width, height) = image.format, image.size
                if kind not in IMAGE_FORMATS:
                    raise ValidationError(f"Images must be PNG, JPEG or WebP, not {kind}.")
                if max(width, height) > MAX_IMAGE_SIDE:
                    raise ValidationError(f"The image is {width}x{height}; the limit is {MAX_IMAGE_SIDE} on each side.")
                image.verify()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError("The image has too many pixels to open safely.") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"That file is not a readable image ({exc}).") from None
    finally:
        upload.seek(0)
