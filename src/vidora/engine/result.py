"""What a generation returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vidora.media import write_mp4


@dataclass
class GenerationResult:
    """Frames (T, H, W, 3) uint8 at ``fps``, mono audio at ``audio_rate`` (None for silent backends)."""

    frames: np.ndarray
    audio: np.ndarray | None
    fps: int
    audio_rate: int
    task: str
    prompt: str
    seed: int
    settings: dict = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return len(self.frames) / self.fps

    def save(self, path: str | Path) -> Path:
        """Write an H.264 + AAC MP4 (atomically: no partial file on failure)."""
        write_mp4(path, self.frames, self.fps, self.audio, self.audio_rate)
        return Path(path)
