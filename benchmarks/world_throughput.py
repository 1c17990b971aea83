"""Clips per second of `vidora world make` on this machine; writes benchmarks/results/world_throughput.json.

Usage: python benchmarks/world_throughput.py [--n 200] [--workers 0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from vidora.world.clip import render_clip
from vidora.world.dataset import make_dataset
from vidora.world.sampler import SamplerConfig, SceneSampler

RESULTS = Path(__file__).parent / "results" / "world_throughput.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--workers", type=int, default=0, help="0 = one per core")
    args = parser.parse_args()
    config = SamplerConfig(frames=33, fps=16, width=128, height=128)
    workers = args.workers or os.cpu_count()

    sampler = SceneSampler(config)
    start = time.perf_counter()
    for seed in range(20):
        render_clip(sampler.sample(seed))
    render_only = 20 / (time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        make_dataset(Path(tmp) / "d", args.n, config, shard_size=50, workers=workers)
        elapsed = time.perf_counter() - start
        size = sum(p.stat().st_size for p in (Path(tmp) / "d").iterdir())
    result = {
        "command": f"python benchmarks/world_throughput.py --n {args.n}",
        "clips": args.n,
        "format": "128x128, 33 frames, 16 fps, H.264+AAC in tar shards",
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "seconds": round(elapsed, 2),
        "clips_per_second": round(args.n / elapsed, 2),
        "render_only_clips_per_second_one_core": round(render_only, 2),
        "bytes_per_clip": round(size / args.n),
        "hours_for_20000_clips": round(20000 / (args.n / elapsed) / 3600, 2),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
