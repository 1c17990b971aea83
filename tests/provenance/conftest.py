"""World clips and an instance home shared by the provenance tests."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from vidora.provenance import ProvenanceSettings
from vidora.world import vocab
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler

FPS = 16


def world_clip(seed: int, size: int = 128, frames: int = 33) -> SimpleNamespace:
    """A rendered world clip shaped like a GenerationResult (frames, audio, fps, audio_rate, prompt, task)."""
    spec = SceneSampler(SamplerConfig(frames=frames, fps=FPS, width=size, height=size, split="any", max_objects=3)).sample(seed)
    clip = render_clip(spec)
    return SimpleNamespace(frames=clip.frames, audio=clip.audio.astype(np.float32), fps=FPS, audio_rate=vocab.AUDIO_RATE,
                           prompt=f"world clip {seed}", task="text")


@pytest.fixture(scope="session")
def clips() -> list[SimpleNamespace]:
    return [world_clip(seed) for seed in range(2000, 2008)]


@pytest.fixture
def settings(tmp_path) -> ProvenanceSettings:
    return ProvenanceSettings.from_env(tmp_path / "home", environ={})
