"""Open MP4 files for reading, turning every kind of bad file into a MediaError."""

from __future__ import annotations

import os
from fractions import Fraction
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av

from vidora.errors import MediaError

# FFmpeg's demuxer for the ISO base media family (MP4, MOV, M4A, ...).
MP4_DEMUXER = "mov,mp4,m4a,3gp,3g2,mj2"


@contextmanager
def open_mp4(path: str | os.PathLike[str]) -> Iterator[av.container.InputContainer]:
    """Open `path` as an MP4 that has a video stream, or raise MediaError saying why not."""
    source = Path(path)
    if not source.exists():
        raise MediaError(f"no such file: {source}")
    if not source.is_file():
        raise MediaError(f"not a file: {source}")
    try:
        container = av.open(str(source))
    except av.error.InvalidDataError as exc:
        if _starts_like_mp4(source):
            raise MediaError(f"truncated or corrupt MP4: {source.name}") from exc
        raise MediaError(f"not a video file: {source.name}") from exc
    except av.FFmpegError as exc:
        raise MediaError(f"cannot open {source.name}: {exc}") from exc
    with container:
        if container.format.name != MP4_DEMUXER:
            raise MediaError(f"not an MP4 file: {source.name} (looks like {container.format.name})")
        if not container.streams.video:
            raise MediaError(f"no video stream in {source.name}")
        yield container


def _starts_like_mp4(path: Path) -> bool:
    """True if the file begins with an MP4 'ftyp' box, i.e. it was meant to be an MP4."""
    with path.open("rb") as file:
        return file.read(8)[4:8] == b"ftyp"


def frame_rate(video: av.video.stream.VideoStream, name: str) -> Fraction:
    """The stream's frame rate, or MediaError if the file does not say."""
    fps = video.average_rate or video.guessed_rate
    if not fps:
        raise MediaError(f"cannot tell the frame rate of {name}")
    return fps
