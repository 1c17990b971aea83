"""Reverse search: are copies of indexed videos found, and are other videos left alone?

Indexes N exported world clips (128x128, 2 s, H.264 + AAC) as `vidora.provenance.stamp` does, then
queries with every picture attack of the watermark benchmark and a set of sound attacks, and with
N other clips that were never indexed. Per attack: the share of copies within the match threshold
(recall) and ranked first (top-1); for never-indexed clips: the least distance and the share
matched by mistake. Writes benchmarks/results/reverse_search.json.

Usage: nice -n 15 python benchmarks/reverse_search.py [--n 100]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from vidora.media import read_mp4, write_mp4
from vidora.provenance.fingerprint import PICTURE_MATCH, SOUND_MATCH, AudioFingerprint, VideoFingerprint
from vidora.world import vocab
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler
from watermark_robustness import ATTACKS, FPS

RESULTS = Path(__file__).parent / "results" / "reverse_search.json"
RATE = vocab.AUDIO_RATE
SOUND_ATTACKS = {
    "aac": ("AAC re-encode (exported file)", lambda a, r: a),
    "volume_0.5": ("volume x0.5", lambda a, r: a * 0.5),
    "noise_20db": ("white noise at 20 dB SNR", lambda a, r: np.clip(a + r.normal(0, np.sqrt(np.mean(a**2) / 100), a.shape), -1, 1)),
    "excerpt_1s": ("a 1-second excerpt", lambda a, r: a[(s := int(r.integers(0, len(a) - RATE))):s + RATE]),
}


def exported(seed: int, folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """A world clip as users get it: through H.264 + AAC and back."""
    spec = SceneSampler(SamplerConfig(frames=33, fps=FPS, width=128, height=128, split="any", max_objects=3)).sample(seed)
    clip = render_clip(spec)
    decoded = read_mp4(write_mp4(folder / "clip.mp4", clip.frames, FPS, clip.audio.astype(np.float32), RATE))
    return decoded.frames, decoded.audio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        clips = [exported(60_000 + i, Path(tmp)) for i in range(args.n)]
        strangers = [exported(65_000 + i, Path(tmp)) for i in range(args.n)]
    start = time.perf_counter()
    pictures = [VideoFingerprint.of(f, FPS) for f, _ in clips]
    sounds = [AudioFingerprint.of(a, RATE) for _, a in clips]
    index_seconds = (time.perf_counter() - start) / args.n

    def rank(distances: list[float], own: int | None, threshold: float) -> dict:
        d = np.asarray(distances)
        if own is None:
            return {"least": float(d.min()), "matched": bool(d.min() <= threshold)}
        others = np.delete(d, own)
        return {"own": float(d[own]), "found": bool(d[own] <= threshold), "first": bool(d[own] < others.min())}

    comparing, compared = 0.0, 0  # seconds spent comparing a query with the index (not making the query)
    picture_rows = {name: [] for name in ATTACKS}
    for i, (frames, _) in enumerate(clips):
        for name, (_, attack) in ATTACKS.items():
            query = VideoFingerprint.of(attack(frames, rng), FPS, scales=(1.0,))
            started = time.perf_counter()
            distances = [p.distance(query) for p in pictures]
            comparing += time.perf_counter() - started
            compared += len(pictures)
            picture_rows[name].append(rank(distances, i, PICTURE_MATCH))
    compare_ms = comparing / compared * 1000
    sound_rows = {name: [] for name in SOUND_ATTACKS}
    for i, (_, audio) in enumerate(clips):
        for name, (_, attack) in SOUND_ATTACKS.items():
            query = AudioFingerprint.of(attack(audio, rng).astype(np.float32), RATE)
            sound_rows[name].append(rank([s.distance(query) for s in sounds], i, SOUND_MATCH))
    stranger_picture = [rank([p.distance(VideoFingerprint.of(f, FPS, scales=(1.0,))) for p in pictures], None, PICTURE_MATCH)
                        for f, _ in strangers]
    stranger_sound = [rank([s.distance(AudioFingerprint.of(a, RATE)) for s in sounds], None, SOUND_MATCH) for _, a in strangers]

    def summary(rows: list[dict]) -> dict:
        return {"recall": float(np.mean([r["found"] for r in rows])), "top1": float(np.mean([r["first"] for r in rows])),
                "median_distance": float(np.median([r["own"] for r in rows])), "worst_distance": float(max(r["own"] for r in rows))}

    def strangers_summary(rows: list[dict]) -> dict:
        return {"least_distance": float(min(r["least"] for r in rows)), "false_match_rate": float(np.mean([r["matched"] for r in rows]))}

    result = {
        "command": f"nice -n 15 python benchmarks/reverse_search.py --n {args.n}",
        "clips_indexed": args.n, "clips_never_indexed": args.n, "size": "128x128", "seconds": 33 / FPS,
        "thresholds": {"picture": PICTURE_MATCH, "sound": SOUND_MATCH},
        "picture": {name: {"attack": ATTACKS[name][0], **summary(rows)} for name, rows in picture_rows.items()},
        "sound": {name: {"attack": SOUND_ATTACKS[name][0], **summary(rows)} for name, rows in sound_rows.items()},
        "never_indexed": {"picture": strangers_summary(stranger_picture), "sound": strangers_summary(stranger_sound)},
        "seconds_to_fingerprint_a_clip": index_seconds,
        "ms_per_indexed_video_per_query": compare_ms,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for kind in ("picture", "sound"):
        for name, row in result[kind].items():
            print(f"{kind:7s} {row['attack']:60s} recall {row['recall']:.3f} top-1 {row['top1']:.3f} worst {row['worst_distance']:.3f}")
    print("never indexed:", result["never_indexed"])
    print(f"fingerprint {index_seconds:.3f} s per clip; search {compare_ms:.2f} ms per indexed video per query")


if __name__ == "__main__":
    main()
