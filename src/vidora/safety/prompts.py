"""The labelled prompt set (``data/prompts/{train,heldout}/<label>.txt``, one prompt a line) and the
world's own captions, which join the benign side so that everything the built-in model is made for
stays allowed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vidora.safety.classifier import BENIGN, LABELS

PROMPTS_DIR = Path(__file__).parent / "data" / "prompts"
SPLITS = ("train", "heldout")
WORLD_CAPTIONS = {"train": (0, 150), "heldout": (100_000, 150)}  # (first seed, count): disjoint scenes


@dataclass(frozen=True)
class LabelledPrompt:
    text: str
    label: str
    source: str  # "written" or "world"


def world_captions(first_seed: int, count: int) -> list[str]:
    from vidora.world.captions import caption
    from vidora.world.sampler import SceneSampler

    sampler = SceneSampler()
    return [caption(sampler.sample(seed), np.random.default_rng(seed)) for seed in range(first_seed, first_seed + count)]


def load_split(split: str, directory: Path = PROMPTS_DIR) -> list[LabelledPrompt]:
    if split not in SPLITS:
        raise ValueError(f"split: must be one of {', '.join(SPLITS)}, got {split!r}")
    prompts = []
    for label in LABELS:
        path = directory / split / f"{label}.txt"
        lines = [line.strip() for line in path.read_text().splitlines()]
        prompts += [LabelledPrompt(line, label, "written") for line in lines if line and not line.startswith("#")]
    prompts += [LabelledPrompt(text, BENIGN, "world") for text in world_captions(*WORLD_CAPTIONS[split])]
    return prompts
