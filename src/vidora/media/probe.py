"""Describe an MP4's streams without decoding them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from vidora.errors import MediaError
from vidora.media.container import frame_rate, open_mp4


@dataclass(frozen=True)
class MediaInfo:
    """An MP4's first video and audio streams: codecs, size, rates and durations."""

    video_codec: str  # e.g. "h264"
    pix_fmt: str  # e.g. "yuv420p"
    width: int
    height: int
    frame_count: int
    fps: Fraction
    video_duration: float  # seconds
    audio_codec: str | None  # e.g. "aac"; None when there is no audio
    audio_rate: int  # samples per second; 0 when there is no audio
    audio_duration: float  # seconds; 0.0 when there is no audio


def probe(path: str | os.PathLike[str]) -> MediaInfo:
    """Read codec, size, rate and duration of the first video and audio streams of an MP4.

    The video packets are read (not decoded) to count frames, which also
    catches a truncated file whose header is intact.
    """
    name = Path(path).name
    with open_mp4(path) as container:
        video = container.streams.video[0]
        sound = container.streams.audio[0] if container.streams.audio else None
        fps = frame_rate(video, name)
        frame_count = _count_packets(container, video, name)
        return MediaInfo(
            video_codec=video.codec_context.name,
            pix_fmt=video.codec_context.pix_fmt or "unknown",
            width=video.codec_context.width,
            height=video.codec_context.height,
            frame_count=frame_count,
            fps=Fraction(fps),
            video_duration=_duration(video),
            audio_codec=sound.codec_context.name if sound else None,
            audio_rate=sound.codec_context.sample_rate if sound else 0,
            audio_duration=_duration(sound) if sound else 0.0,
        )


def _duration(stream: av.stream.Stream) -> float:
    """Stream duration in seconds from the container's index (0.0 if it does not say)."""
    if stream.duration is None or stream.time_base is None:
        return 0.0
    return float(stream.duration * stream.time_base)


def _count_packets(
    container: av.container.InputContainer, video: av.VideoStream, name: str
) -> int:
    """Number of video packets actually present; MediaError if the header promised more."""
    try:
        # The demuxer ends with one empty flush packet, which is not a frame.
        count = sum(1 for packet in container.demux(video) if packet.size)
    except av.FFmpegError as exc:
        raise MediaError(f"truncated or corrupt MP4: {name} ({exc.strerror or exc})") from exc
    if count == 0 or count < video.frames:
        raise MediaError(
            f"truncated or corrupt MP4: {name} (found {count} of {video.frames} frames)"
        )
    return count
