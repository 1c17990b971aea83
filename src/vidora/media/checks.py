"""Checks on caller-supplied arrays and settings, shared by the readers and writers."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from vidora.errors import MediaError


def check_frames(frames: object, *, even: bool = False) -> np.ndarray:
    """Return `frames` if it is a uint8 (T, H, W, 3) array with T >= 1, else raise MediaError.

    `even` additionally requires H and W divisible by 2, which yuv420p's
    half-resolution chroma planes need.
    """
    if not isinstance(frames, np.ndarray):
        raise MediaError(f"frames must be a numpy array, got {type(frames).__name__}")
    if frames.dtype != np.uint8:
        raise MediaError(f"frames must be uint8, got {frames.dtype}")
    if frames.ndim != 4 or frames.shape[3] != 3:
        raise MediaError(f"frames must have shape (T, H, W, 3), got {frames.shape}")
    count, height, width = frames.shape[:3]
    if count < 1 or height < 1 or width < 1:
        raise MediaError(f"frames must be non-empty, got shape {frames.shape}")
    if even and (height % 2 or width % 2):
        raise MediaError(f"frame size {width}x{height} must be divisible by 2")
    return frames


def check_audio(audio: object) -> np.ndarray:
    """Return `audio` if it is a non-empty float32 (N,) array with samples in [-1, 1]."""
    if not isinstance(audio, np.ndarray):
        raise MediaError(f"audio must be a numpy array, got {type(audio).__name__}")
    if audio.dtype != np.float32:
        raise MediaError(f"audio must be float32, got {audio.dtype}")
    if audio.ndim != 1 or audio.size == 0:
        raise MediaError(f"audio must be a non-empty mono array of shape (N,), got {audio.shape}")
    if not np.isfinite(audio).all():
        raise MediaError("audio contains NaN or infinite samples")
    peak = float(np.abs(audio).max())
    if peak > 1.0:
        raise MediaError(f"audio samples must lie in [-1, 1], peak is {peak:.3f}")
    return audio


def check_fps(fps: object) -> Fraction:
    """Return a positive int or Fraction frame rate as a Fraction."""
    if isinstance(fps, bool) or not isinstance(fps, (int, Fraction)):
        raise MediaError(f"fps must be an int or Fraction, got {type(fps).__name__}")
    if fps <= 0:
        raise MediaError(f"fps must be positive, got {fps}")
    return Fraction(fps)


def check_positive_int(value: object, name: str) -> int:
    """Return `value` if it is an int >= 1 (bools excluded); `name` is used in the message."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise MediaError(f"{name} must be a positive integer, got {value!r}")
    return value
