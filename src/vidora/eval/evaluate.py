"""Evaluate clips against their prompts (or specs), one clip or a whole set."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vidora.eval.consistency import consistency_report
from vidora.eval.detect import Reading, read_clip
from vidora.eval.faithfulness import FAITHFULNESS_METRICS, faithfulness
from vidora.eval.physics import physics_report
from vidora.eval.sync import av_sync
from vidora.world.captions import SceneDescription, describe, parse_prompt
from vidora.world.spec import SceneSpec


@dataclass
class ClipResult:
    name: str
    prompt: str | None
    metrics: dict[str, float | None]
    reading: Reading | None = field(default=None, repr=False)


def expected_from(prompt: str | None = None, spec: SceneSpec | None = None) -> SceneDescription:
    """What the clip should show: from the spec when there is one, else from the prompt."""
    if spec is not None:
        return describe(spec)
    if prompt is None:
        raise ValueError("evaluating a clip needs its prompt or its spec")
    return parse_prompt(prompt)


def evaluate_clip(
    frames: np.ndarray,
    audio: np.ndarray | None = None,
    prompt: str | None = None,
    spec: SceneSpec | None = None,
    name: str = "clip",
    reading: Reading | None = None,
) -> ClipResult:
    """Every metric that applies to one clip.

    Faithfulness and temporal consistency need only the prompt; physics (which
    re-simulates the scene) and audio-visual sync (which needs the camera to
    place impacts) need the spec the clip was asked to show. ``reading``, the
    detector's reading of these same frames, saves reading them again.
    """
    reading = read_clip(frames) if reading is None else reading
    metrics: dict[str, float | None] = dict(faithfulness(reading, expected_from(prompt, spec)))
    metrics.update(consistency_report(reading.tracks, frames, reading.cuts).summary())
    if spec is not None:
        metrics.update(physics_report(reading.tracks, spec).summary())
        if audio is not None:
            metrics.update(av_sync(reading.tracks, audio, spec).summary())
    metrics = {k: (None if v is None or np.isnan(v) else float(v)) for k, v in metrics.items()}
    return ClipResult(name=name, prompt=prompt, metrics=metrics, reading=reading)


def summarise(results: list[ClipResult]) -> dict[str, dict[str, float]]:
    """Mean of each metric over the clips where it applies, with how many that was."""
    keys = list(FAITHFULNESS_METRICS) + sorted({k for r in results for k in r.metrics} - set(FAITHFULNESS_METRICS))
    out = {}
    for key in keys:
        values = [r.metrics[key] for r in results if r.metrics.get(key) is not None]
        if values:
            out[key] = {"mean": float(np.mean(values)), "median": float(np.median(values)), "clips": len(values)}
    return out
