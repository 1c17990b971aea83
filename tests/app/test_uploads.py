"""Uploaded images are checked by their content: format, byte size, dimensions, decompression bombs, truncation."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from vidora.app.uploads import MAX_IMAGE_BYTES, image_from_data_url, validate_image


def encoded(fmt: str, size=(16, 16), name="x.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A small PNG that claims width x height: its first row of zeros compresses to almost nothing, and so
    would the rest (a decompression bomb)."""
    first_row = zlib.compress(bytes(1 + 3 * width))
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", first_row) + png_chunk(b"IEND", b""))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_pass_whatever_their_name(fmt):
    upload = encoded(fmt, name="no-extension")
    validate_image(upload)
    assert upload.tell() == 0  # rewound for whoever reads it next


@pytest.mark.parametrize("upload, message", [
    (encoded("GIF"), "must be PNG, JPEG or WebP, not GIF"),  # named .png, sent as image/png: the bytes decide
    (encoded("BMP"), "not BMP"),
    (SimpleUploadedFile("x.png", b"just some text"), "not a readable image"),
    (SimpleUploadedFile("x.png", encoded("PNG").read()[:-30]), "not a readable image"),  # cut short
    (SimpleUploadedFile("x.jpg", encoded("JPEG", size=(64, 64)).read()[:300]), "not a readable image"),
    (encoded("PNG", size=(4097, 8)), "4097x8; the limit is 4096"),
    (SimpleUploadedFile("x.png", png_bomb(30_000, 30_000)), "too many pixels"),  # 900 Mpx in under 200 bytes
    (SimpleUploadedFile("x.png", png_bomb(10_000, 10_000)), "too many pixels"),  # over Pillow's warning line
    (SimpleUploadedFile("x.png", b"\x89PNG" + bytes(MAX_IMAGE_BYTES)), "the limit is 10 MB"),
])
def test_uploads_that_are_not_safe_images_are_refused_with_the_reason(upload, message):
    with pytest.raises(ValidationError, match=message):
        validate_image(upload)


def test_data_urls_are_decoded_and_checked_like_uploads():
    import base64

    good = "data:image/png;base64," + base64.b64encode(encoded("PNG").read()).decode()
    assert image_from_data_url(good).read().startswith(b"\x89PNG")
    bomb = "data:image/png;base64," + base64.b64encode(png_bomb(30_000, 30_000)).decode()
    for url, message in [("https://example.com/a.png", "does not fetch"), ("data:image/png;base64,%%%", "not valid base64"),
                         (bomb, "too many pixels")]:
        with pytest.raises(ValidationError, match=message):
            image_from_data_url(url)
