"""Checking uploaded images and videos by their content before anything uses them."""

from __future__ import annotations

import base64
import binascii
import re
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, UnidentifiedImageError

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
                image.load()  # decode it all: a truncated or corrupt file fails here, not later in the worker
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError("The image has too many pixels to open safely.") from None
    except UnidentifiedImageError:
        raise ValidationError("That file is not a readable image (PNG, JPEG or WebP).") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"That file is not a readable image: it is damaged or cut short ({exc}).") from None
    finally:
        upload.seek(0)


DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?:;[\w=.+-]+)*;base64,(?P<data>.*)$", re.DOTALL)


def image_from_data_url(url: str, name: str = "image") -> SimpleUploadedFile:
    """A base64 ``data:`` URL as an uploaded image, checked like any upload (ValidationError if it is not one)."""
    match = DATA_URL.match(url.strip())
    if match is None:
        raise ValidationError("Give the image as a base64 data: URL (data:image/png;base64,...); "
                              "this server does not fetch images from other addresses.")
    if len(match["data"]) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise ValidationError(f"The image is over the {MAX_IMAGE_BYTES // 2**20} MB limit.")
    try:
        content = base64.b64decode(match["data"], validate=True)
    except binascii.Error:
        raise ValidationError("The data: URL is not valid base64.") from None
    upload = SimpleUploadedFile(name, content, content_type=match["type"] or "application/octet-stream")
    validate_image(upload)
    return upload
