"""Validate the evaluator on real rendered clips and on corrupted ones.

Real clips should score near-perfect faithfulness, near-zero sync offset and
physics error near the pixel floor; each corruption should lower the metric
that checks it. Writes benchmarks/results/eval_self_validation.json.

Usage: python benchmarks/eval_self_validation.py [--n 300] [--workers 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from vidora.eval.evaluate import evaluate_clip
from vidora.world import vocab
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler

RESULTS = Path(__file__).parent / "results" / "eval_self_validation.json"
SAMPLER = SceneSampler(SamplerConfig(split="any", character_prob=0.5))
SHIFT_S = 0.2


def _scores(seed: int) -> dict[str, dict]:
    spec = SAMPLER.sample(seed)
    clip = render_clip(spec)
    out = {"real": evaluate_clip(clip.frames, clip.audio, spec=spec).metrics}
    shift = round(SHIFT_S * vocab.AUDIO_RATE)
    late = np.concatenate([np.zeros(shift, np.float32), clip.audio[:-shift]])
    out["audio_200ms_late"] = evaluate_clip(clip.frames, late, spec=spec).metrics
    out["shuffled_frames"] = evaluate_clip(clip.frames[np.random.default_rng(seed).permutation(spec.frames)], clip.audio, spec=spec).metrics
    recoloured = [dataclasses.replace(o, colour={"red": "green"}.get(o.colour, "red")) if not o.is_character else o for o in spec.objects]
    out["wrong_colour"] = evaluate_clip(render_clip(dataclasses.replace(spec, objects=recoloured)).frames, spec=spec).metrics
    shapes = [i for i, o in enumerate(spec.objects) if not o.is_character]
    if len(shapes) >= 2 and all(s.subject != shapes[-1] for s in spec.shots):
        fewer = [o for i, o in enumerate(spec.objects) if i != shapes[-1]]
        out["missing_object"] = evaluate_clip(render_clip(dataclasses.replace(spec, objects=fewer)).frames, spec=spec).metrics
    movers = [o.motion in ("fly", "bounce", "roll") for o in spec.objects]
    if any(movers) and len(spec.shots) == 1:
        flipped = [dataclasses.replace(o, vx=-o.vx, vy=-o.vy if o.motion == "fly" else o.vy) if m else o for o, m in zip(spec.objects, movers)]
        out["reversed_motion"] = evaluate_clip(render_clip(dataclasses.replace(spec, objects=flipped)).frames, spec=spec).metrics
    return out


def _summary(rows: list[dict]) -> dict[str, dict]:
    keys = sorted({k for r in rows for k, v in r.items() if v is not None})
    out = {}
    for k in keys:
        values = np.array([r[k] for r in rows if r.get(k) is not None], float)
        out[k] = {"mean": round(float(values.mean()), 4), "median": round(float(np.median(values)), 4), "clips": int(values.size)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with ProcessPoolExecutor(args.workers) as pool:
        per_clip = list(pool.map(_scores, range(args.seed, args.seed + args.n), chunksize=4))
    conditions = sorted({c for row in per_clip for c in row})
    result = {
        "command": f"python benchmarks/eval_self_validation.py --n {args.n} --seed {args.seed}",
        "clips": args.n,
        "conditions": {c: _summary([row[c] for row in per_clip if c in row]) for c in conditions},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    real = result["conditions"]["real"]
    for key in ("background", "style", "colour", "shape", "count", "direction", "character", "cuts",
                "sync_median_abs_offset_ms", "velocity_error", "plausibility", "identity_persistence", "object_permanence"):
        if key in real:
            row = [f"{key:28s} real {real[key]['mean']:.3f}"]
            for c in conditions:
                if c != "real" and key in result["conditions"][c]:
                    row.append(f"{c} {result['conditions'][c][key]['mean']:.3f}")
            print("  ".join(row))


if __name__ == "__main__":
    main()
