"""Synthetic clips shared by the media tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from vidora.media import write_mp4

AUDIO_RATE = 16000


def moving_square(count: int, height: int, width: int) -> np.ndarray:
    """(count, height, width, 3) uint8 frames: a yellow square sliding over a blue-grey field.

    Every frame differs, so animated formats cannot merge frames.
    """
    frames = np.empty((count, height, width, 3), np.uint8)
    frames[:] = (40, 60, 110)
    side = min(height, width) // 4
    for t in range(count):
        top = (t * 3) % (height - side)
        left = (t * 5) % (width - side)
        frames[t, top : top + side, left : left + side] = (250, 210, 40)
    return frames


def clicks(length: int, positions: list[int]) -> np.ndarray:
    """float32 silence of `length` samples with a single-sample click at each position."""
    audio = np.zeros(length, np.float32)
    audio[positions] = 0.9
    return audio


@pytest.fixture
def make_frames() -> Callable[[int, int, int], np.ndarray]:
    return moving_square


@pytest.fixture
def make_clicks() -> Callable[[int, list[int]], np.ndarray]:
    return clicks


@dataclass(frozen=True)
class WrittenClip:
    """An MP4 written once per test session, with the arrays it was made from."""

    path: Path
    frames: np.ndarray
    fps: int
    audio: np.ndarray
    click_positions: list[int]


@pytest.fixture(scope="session")
def written_clip(tmp_path_factory: pytest.TempPathFactory) -> WrittenClip:
    """33 frames of 128x128 at 16 fps with 2.0625 s of clicks, written by write_mp4."""
    frames = moving_square(33, 128, 128)
    positions = [800, 5000, 12345, 30000]
    audio = clicks(round(2.0625 * AUDIO_RATE), positions)
    path = tmp_path_factory.mktemp("written") / "square.mp4"
    write_mp4(path, frames, 16, audio, audio_rate=AUDIO_RATE)
    return WrittenClip(path, frames, 16, audio, positions)
