"""Decode an MP4 into frames and time-aligned mono audio."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from vidora.errors import MediaError
from vidora.media.checks import check_positive_int
from vidora.media.container import frame_rate, open_mp4


@dataclass
class Clip:
    """Decoded video with its sound; audio sample 0 plays together with frame 0."""

    frames: np.ndarray  # (T, H, W, 3) uint8 RGB
    fps: Fraction
    audio: np.ndarray | None  # (N,) float32 mono in [-1, 1], N = round(T / fps * audio_rate)
    audio_rate: int  # samples per second; 0 when there is no audio


def read_mp4(path: str | os.PathLike[str], audio_rate: int | None = None, max_frames: int | None = None) -> Clip:
    """Decode every frame (or the first `max_frames`) and the first audio track of the MP4 at `path`.

    Audio is mixed to mono and resampled to `audio_rate` (default: the file's
    rate). Encoder priming is removed using the decoded timestamps, and the
    audio is trimmed or zero-padded to exactly the video's duration.
    Raises MediaError for missing, non-video, truncated or corrupt files.
    """
    name = Path(path).name
    if audio_rate is not None:
        check_positive_int(audio_rate, "audio_rate")
    if max_frames is not None:
        check_positive_int(max_frames, "max_frames")
    with open_mp4(path) as container:
        video = container.streams.video[0]
        sound = container.streams.audio[0] if container.streams.audio else None
        fps = frame_rate(video, name)
        rate = audio_rate or (sound.codec_context.sample_rate if sound else 0)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate) if sound else None

        images: list[np.ndarray] = []
        chunks: list[np.ndarray] = []
        video_start: Fraction | None = None
        audio_start: Fraction | None = None
        streams = [video] if sound is None else [video, sound]
        try:
            for packet in container.demux(streams):
                if max_frames is not None and len(images) >= max_frames:
                    break
                for frame in packet.decode():
                    if isinstance(frame, av.VideoFrame):
                        if video_start is None:
                            video_start = _timestamp(frame)
                        images.append(frame.to_ndarray(format="rgb24"))
                    elif resampler is not None:
                        if audio_start is None:
                            audio_start = _timestamp(frame)
                        chunks.extend(f.to_ndarray()[0] for f in resampler.resample(frame))
            if resampler is not None:
                chunks.extend(f.to_ndarray()[0] for f in resampler.resample(None))
        except av.FFmpegError as exc:
            raise MediaError(f"truncated or corrupt MP4: {name} ({exc.strerror or exc})") from exc

        if max_frames is not None:
            images = images[:max_frames]
        if not images or len(images) < min(video.frames, max_frames or video.frames):
            raise MediaError(
                f"truncated or corrupt MP4: {name} (decoded {len(images)} of {video.frames} frames)"
            )

    frames = np.stack(images)
    fps = Fraction(fps)
    if audio_start is None or video_start is None:
        return Clip(frames=frames, fps=fps, audio=None, audio_rate=0)
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    # Samples before video time 0 (the AAC encoder's priming, if the decoder
    # has not already dropped it) are cut; a late audio start is padded.
    offset = round((audio_start - video_start) * rate)
    samples = samples[-offset:] if offset < 0 else np.pad(samples, (offset, 0))
    duration_samples = round(len(frames) / fps * rate)
    samples = _fit_length(samples, duration_samples)
    return Clip(frames=frames, fps=fps, audio=samples, audio_rate=rate)


def _timestamp(frame: av.VideoFrame | av.AudioFrame) -> Fraction:
    """Presentation time in seconds, exactly; frames without a pts count as time 0."""
    if frame.pts is None:
        return Fraction(0)
    return frame.pts * Fraction(frame.time_base)


def _fit_length(samples: np.ndarray, length: int) -> np.ndarray:
    """Trim `samples` to `length`, or pad the end with silence."""
    if len(samples) >= length:
        return samples[:length]
    return np.pad(samples, (0, length - len(samples)))
