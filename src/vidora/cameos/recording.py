"""Read a verification recording: what a browser's MediaRecorder makes (WebM or MP4) or an uploaded clip."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from vidora.errors import MediaError

SPEECH_RATE = 16_000  # what pocketsphinx's acoustic model expects
SAMPLES_PER_SECOND = 4  # frames kept for the face checks; a head turn takes a second or two
MAX_SIDE = 480  # frames are scaled down to this: faces in a selfie clip are large
MAX_SECONDS = 30.0


@dataclass
class Recording:
    frames: list[np.ndarray]  # sampled RGB uint8 frames, longer side <= MAX_SIDE
    times: list[float]  # seconds from the start, one per frame
    audio: np.ndarray  # int16 mono at SPEECH_RATE (empty when the clip has no sound)
    seconds: float


def read_recording(path: str | os.PathLike[str], per_second: float = SAMPLES_PER_SECOND) -> Recording:
    """Frames sampled ``per_second`` and the sound of any clip FFmpeg reads; MediaError saying what is wrong
    otherwise."""
    name = Path(path).name
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as exc:
        raise MediaError(f"cannot read {name} as a video ({exc.strerror or exc})") from None
    with container:
        if not container.streams.video:
            raise MediaError(f"{name} has no picture: record with the camera on")
        video = container.streams.video[0]
        sound = container.streams.audio[0] if container.streams.audio else None
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SPEECH_RATE) if sound else None
        frames, times, chunks = [], [], []
        start = None
        last = 0.0
        try:
            for frame in container.decode(*([video, sound] if sound else [video])):
                if isinstance(frame, av.AudioFrame):
                    chunks.extend(f.to_ndarray()[0] for f in resampler.resample(frame))
                    continue
                t = float(frame.time) if frame.time is not None else len(times) / per_second
                start = t if start is None else start
                last = t - start
                if last > MAX_SECONDS:
                    raise MediaError(f"{name} is longer than {MAX_SECONDS:g} s: record only the phrase and the head turn")
                if not times or last >= times[-1] + 1 / per_second:
                    frames.append(_scaled(frame))
                    times.append(last)
            if resampler is not None:
                chunks.extend(f.to_ndarray()[0] for f in resampler.resample(None))
        except av.FFmpegError as exc:
            raise MediaError(f"{name} is truncated or corrupt ({exc.strerror or exc})") from None
    if not frames:
        raise MediaError(f"{name} has no video frames")
    audio = np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, np.int16)
    return Recording(frames=frames, times=times, audio=audio, seconds=max(last, len(audio) / SPEECH_RATE))


def _scaled(frame: av.VideoFrame) -> np.ndarray:
    """The frame as RGB, its longer side at most MAX_SIDE; scaled by FFmpeg (area averaging) as it converts: for
    1080p frames that is several times faster than converting first and scaling in Pillow."""
    scale = min(1.0, MAX_SIDE / max(frame.width, frame.height))
    return frame.to_ndarray(width=max(1, round(frame.width * scale)), height=max(1, round(frame.height * scale)),
                            format="rgb24", interpolation="AREA")
