"""Self-validation of the evaluator's faithfulness metrics, in both directions.

Real rendered clips must score high; clips that break one promise of the
prompt (another colour, a missing object, motion reversed, another
background) must score clearly lower on the metric that checks it. The seeds
are a fixed range, not picked: benchmarks/eval_self_validation.py measures
the same on hundreds of clips and records the figures.
"""

import numpy as np
import pytest

from vidora.eval.corruptions import drop_object, other_background, recolour, reverse_motion
from vidora.eval.evaluate import evaluate_clip
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler

SEEDS = range(100, 116)
SAMPLER = SceneSampler(SamplerConfig(split="any", character_prob=0.5))
# Floors for these 16 clips; the benchmark's means over 300 clips are higher (see its results file).
FLOORS = {"background": 0.98, "style": 0.9, "colour": 0.95, "shape": 0.9, "count": 0.85, "direction": 0.75, "character": 0.7, "cuts": 0.95}


@pytest.fixture(scope="module")
def real_scores():
    results = [evaluate_clip(render_clip(SAMPLER.sample(s)).frames, spec=SAMPLER.sample(s)) for s in SEEDS]
    return {k: np.mean([r.metrics[k] for r in results if r.metrics[k] is not None]) for k in FLOORS}


@pytest.mark.parametrize("metric", list(FLOORS))
def test_real_clips_score_high(real_scores, metric):
    assert real_scores[metric] >= FLOORS[metric]


def _corrupted_pairs(change, want):
    """(real score, corrupted score) of `want` over the seeds whose spec `change` can alter."""
    real, bad = [], []
    for seed in SEEDS:
        spec = SAMPLER.sample(seed)
        altered = change(spec)
        if altered is None:
            continue
        real.append(evaluate_clip(render_clip(spec).frames, spec=spec).metrics[want])
        bad.append(evaluate_clip(render_clip(altered).frames, spec=spec).metrics[want])
        if len(real) == 5:
            break
    assert len(real) >= 3
    return np.mean(real), np.mean(bad)


@pytest.mark.parametrize(
    "change, metric",
    [(recolour, "colour"), (drop_object, "count"), (other_background, "background")],
    ids=["wrong colour", "missing object", "wrong background"],
)
def test_corruption_lowers_its_metric(change, metric):
    real, bad = _corrupted_pairs(change, metric)
    assert real >= 0.9 and bad <= real - 0.4


def test_reversed_motion_lowers_direction():
    real, bad = _corrupted_pairs(reverse_motion, "direction")
    assert real >= 0.75 and bad <= real - 0.4
