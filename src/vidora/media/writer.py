"""Encode frames and sound into a browser-playable MP4 (H.264 yuv420p + AAC)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from vidora.errors import MediaError
from vidora.media.atomic import atomic_output
from vidora.media.checks import check_audio, check_fps, check_frames, check_positive_int

# A single x264 thread makes the bitstream depend only on the input, not on
# the machine's core count (x264's output changes with its thread count).
X264_OPTIONS = {"preset": "medium", "threads": "1"}


def write_mp4(
    path: str | os.PathLike[str],
    frames: np.ndarray,
    fps: int | Fraction,
    audio: np.ndarray | None = None,
    audio_rate: int = 16000,
    crf: int = 18,
) -> Path:
    """Write `frames` (uint8 (T, H, W, 3), even H and W) and optional mono `audio` to an MP4.

    Video is H.264 yuv420p tagged BT.709 limited range, audio is AAC at
    `audio_rate`, and the index is at the front (faststart) so browsers can
    start playing while downloading. The same input gives the same bytes.
    The file appears at `path` only once it is complete.
    """
    frames = check_frames(frames, even=True)
    rate = check_fps(fps)
    if audio is not None:
        audio = check_audio(audio)
        check_positive_int(audio_rate, "audio_rate")
    if isinstance(crf, bool) or not isinstance(crf, int) or not 0 <= crf <= 51:
        raise MediaError(f"crf must be an integer from 0 to 51, got {crf!r}")

    target = Path(path)
    try:
        with atomic_output(target) as tmp, av.open(
            str(tmp), "w", format="mp4", options={"movflags": "+faststart"}
        ) as container:
            video = _add_video_stream(container, frames, rate, crf)
            sound = None if audio is None else _add_audio_stream(container, audio_rate)
            for packet in _encode(video, sound, frames, rate, audio, audio_rate):
                container.mux(packet)
    except av.FFmpegError as exc:
        raise MediaError(f"cannot write MP4 {target.name}: {exc}") from exc
    return target


def _add_video_stream(
    container: av.container.OutputContainer, frames: np.ndarray, rate: Fraction, crf: int
) -> av.VideoStream:
    stream = container.add_stream("libx264", rate=rate, options={**X264_OPTIONS, "crf": str(crf)})
    stream.height, stream.width = frames.shape[1:3]
    stream.pix_fmt = "yuv420p"
    # Tag the colour matrix we convert with, so players do not have to guess.
    stream.codec_context.colorspace = 1  # AVCOL_SPC_BT709
    stream.codec_context.color_primaries = 1  # AVCOL_PRI_BT709
    stream.codec_context.color_trc = 1  # AVCOL_TRC_BT709
    stream.codec_context.color_range = 1  # AVCOL_RANGE_MPEG (limited, 16-235)
    return stream


def _add_audio_stream(container: av.container.OutputContainer, audio_rate: int) -> av.AudioStream:
    return container.add_stream("aac", rate=audio_rate, layout="mono")


def _encode(
    video: av.VideoStream,
    sound: av.AudioStream | None,
    frames: np.ndarray,
    rate: Fraction,
    audio: np.ndarray | None,
    audio_rate: int,
) -> Iterator[av.Packet]:
    """Yield packets with audio fed alongside each video frame.

    Feeding both streams together keeps the muxer's interleaving queue short,
    so the MP4's audio and video chunks alternate and play while streaming.
    """
    audio_done = 0
    for index, rgb in enumerate(frames):
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24").reformat(
            format="yuv420p", dst_colorspace="itu709", dst_color_range="MPEG"
        )
        frame.pts = index
        frame.time_base = 1 / rate
        yield from video.encode(frame)
        if sound is not None and audio is not None:
            # Audio up to the end of this frame; whatever is left goes with the last one.
            frame_end = round((index + 1) / rate * audio_rate)
            is_last = index == len(frames) - 1
            audio_until = len(audio) if is_last else min(len(audio), frame_end)
            if audio_until > audio_done:
                yield from sound.encode(_audio_frame(audio, audio_done, audio_until, audio_rate))
                audio_done = audio_until
    yield from video.encode(None)
    if sound is not None:
        yield from sound.encode(None)


def _audio_frame(audio: np.ndarray, start: int, stop: int, audio_rate: int) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(audio[None, start:stop], format="flt", layout="mono")
    frame.sample_rate = audio_rate
    frame.pts = start
    frame.time_base = Fraction(1, audio_rate)
    return frame
