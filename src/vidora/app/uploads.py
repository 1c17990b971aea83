"""Checking uploaded images and videos by their content before anything uses them."""

from __future__ import annotations

import base64
import binascii
import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, UnidentifiedImageError

from vidora.errors import MediaError

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


# A video is an input to a remix or an extension. The worker decodes every frame at the file's own size before
# scaling it down to the model's, and all of its sound, so the limits that matter are what the file decodes to:
# frames x width x height, and the sound's length (a few bytes of silent audio frames can decode to hours).
MAX_VIDEO_BYTES = 10 * 1024 * 1024  # the APIs' body limit
MAX_VIDEO_SECONDS = 20
MAX_VIDEO_SIDE = 1920
MAX_VIDEO_DECODED_BYTES = 1024**3


def validate_video(upload) -> None:
    """Raise ValidationError unless ``upload`` is an MP4 (by content), at most MAX_VIDEO_SECONDS long and
    MAX_VIDEO_SIDE on each side, that decodes to at most MAX_VIDEO_DECODED_BYTES of frames and at most
    MAX_VIDEO_SECONDS of sound. The header's promises are checked first, then the file is decoded (one frame
    at a time, stopping at the first broken limit) to see that it keeps them."""
    from vidora.media import probe  # PyAV: loaded only where videos are checked

    if upload.size > MAX_VIDEO_BYTES:
        raise ValidationError(f"The video is {upload.size / 1e6:.1f} MB; the limit is {MAX_VIDEO_BYTES // 2**20} MB.")
    with on_disk(upload, "upload.mp4") as path:
        try:
            info = probe(path)
        except MediaError as exc:
            problem = str(exc).replace(f": {path.name}", "")  # our temporary name means nothing to the user
            raise ValidationError(f"That file is not a usable video: {problem}. Videos must be MP4.") from None
        seconds = float(info.frame_count / info.fps)
        if seconds > MAX_VIDEO_SECONDS:
            raise ValidationError(f"The video is {seconds:.1f} s long; the limit is {MAX_VIDEO_SECONDS} s.")
        if max(info.width, info.height) > MAX_VIDEO_SIDE:
            raise ValidationError(f"The video is {info.width}x{info.height}; the limit is {MAX_VIDEO_SIDE} on each side.")
        if info.frame_count * info.width * info.height * 3 > MAX_VIDEO_DECODED_BYTES:
            raise ValidationError(f"The video has too many pixels to use ({info.frame_count} frames of "
                                  f"{info.width}x{info.height}): make it shorter or smaller.")
        check_decoded(path, (info.width, info.height))


@contextmanager
def on_disk(upload, name: str | None = None) -> Iterator[Path]:
    """The upload as a temporary file named ``name`` (default: the upload's own name), deleted afterwards; the upload
    is rewound for whoever reads it next."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name or upload.name or "upload").name
        upload.seek(0)
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        upload.seek(0)
        yield path


def check_decoded(path: Path, size: tuple[int, int]) -> None:
    """Decode the MP4 at ``path`` without keeping anything: every frame must be ``size`` (a stream can change
    its size midway), all of them within MAX_VIDEO_DECODED_BYTES, and the sound at most MAX_VIDEO_SECONDS long;
    at least one frame must decode."""
    import av

    frames, sound_seconds = 0, 0.0
    with av.open(str(path)) as container:
        streams = container.streams.video[:1] + container.streams.audio[:1]
        try:
            for packet in container.demux(streams):
                for frame in packet.decode():
                    if isinstance(frame, av.VideoFrame):
                        if (frame.width, frame.height) != size:
                            raise ValidationError(f"The video changes size midway ({size[0]}x{size[1]} to "
                                                  f"{frame.width}x{frame.height}).")
                        frames += 1
                        if frames * size[0] * size[1] * 3 > MAX_VIDEO_DECODED_BYTES:
                            raise ValidationError("The video decodes to more frames than its file lists.")
                    elif not frame.sample_rate:
                        raise ValidationError("The video's sound has no sample rate.")
                    else:
                        sound_seconds += frame.samples / frame.sample_rate
                        if sound_seconds > MAX_VIDEO_SECONDS:
                            raise ValidationError(f"The video's sound runs over {MAX_VIDEO_SECONDS} s; "
                                                  f"the limit is {MAX_VIDEO_SECONDS} s.")
        except av.FFmpegError as exc:
            raise ValidationError(f"That file is not a usable video: it is damaged ({exc.strerror or exc}).") from None
    if not frames:
        raise ValidationError("That file is not a usable video: none of its frames decodes.")


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
