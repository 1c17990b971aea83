"""Reverse search: are copies of indexed videos found, and are other videos left alone?

Indexes N exported world clips (128x128, 2 s, H.264 + AAC) as `vidora.provenance.stamp` does, then
fills the index up to --indexed videos with more (rendered) world clips, then queries with every
picture attack of the watermark benchmark, a set of sound attacks, and N other clips that were never
indexed, as `FingerprintIndex.search` does (a rough pass over every video, then a shortlist in full).
Per attack: the share of copies found (shortlisted and within the match threshold: recall) and
nearer than every other indexed video (top-1); for never-indexed clips: the least distance and the
share matched by mistake. Also the index's size per video and how long a 2 s and a 10 s query take.
Writes benchmarks/results/reverse_search.json.

Usage: OMP_NUM_THREADS=1 nice -n 15 python benchmarks/reverse_search.py [--n 100] [--indexed 500]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from vidora.media import read_mp4, write_mp4
from vidora.provenance import FingerprintIndex
from vidora.provenance.fingerprint import (
    INDEXED_VIEWS, PICTURE_MATCH, QUERY_VIEWS, SOUND_MATCH, AudioFingerprint, VideoFingerprint, picture_distances,
    shortlist, sound_distances,
)
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


def filled_index(clips: list[tuple[np.ndarray, np.ndarray]], indexed: int, folder: Path) -> FingerprintIndex:
    """An index of the clips (video_0 ...) and more world clips, up to `indexed` videos."""
    index = FingerprintIndex(folder / "fingerprints.sqlite3")
    sampler = SceneSampler(SamplerConfig(frames=33, fps=FPS, width=128, height=128, split="any", max_objects=3))
    fillers = (render_clip(sampler.sample(70_000 + i)) for i in range(indexed - len(clips)))
    for i, (frames, audio) in enumerate([*clips, *((c.frames, c.audio) for c in fillers)]):
        index.add(f"video_{i}", VideoFingerprint.of(frames, FPS), AudioFingerprint.of(audio, RATE))
    return index


def search_cost(index: FingerprintIndex, clip: tuple[np.ndarray, np.ndarray]) -> dict:
    """The index's size per video, and how long a 2 s and a 10 s query take to fingerprint and to search."""
    long_spec = SceneSampler(SamplerConfig(frames=161, fps=FPS, width=128, height=128, split="any", max_objects=3)).sample(1)
    long_clip = render_clip(long_spec)
    times = {}
    for name, (frames, audio) in {"2s": clip, "10s": (long_clip.frames, long_clip.audio)}.items():
        started = time.perf_counter()
        query = VideoFingerprint.of(frames, FPS, QUERY_VIEWS), AudioFingerprint.of(audio, RATE)
        made = time.perf_counter()
        searches = []
        for _ in range(5):
            start = time.perf_counter()
            index.search(*query)
            searches.append(time.perf_counter() - start)
        times[name] = {"fingerprint_seconds": round(made - started, 3), "search_seconds_median": round(float(np.median(searches)), 3)}
    _, pictures, sounds = index.fingerprints()
    picture_bytes = np.mean([p.hashes.nbytes for p in pictures])
    sound_bytes = np.mean([s.words.nbytes + np.packbits(s.loud).nbytes for s in sounds])
    return {"videos": len(index), "picture_bytes_per_video": round(picture_bytes), "sound_bytes_per_video": round(sound_bytes),
            "file_bytes_per_video": round(index.path.stat().st_size / len(index)), "query": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--indexed", type=int, default=500, help="videos in the index searched")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        clips = [exported(60_000 + i, Path(tmp)) for i in range(args.n)]
        strangers = [exported(65_000 + i, Path(tmp)) for i in range(args.n)]
        start = time.perf_counter()
        index = filled_index(clips, max(args.indexed, args.n), Path(tmp))
        index_seconds = (time.perf_counter() - start) / len(index)
        videos, pictures, sounds = index.fingerprints()
        position = {video.video_id: i for i, video in enumerate(videos)}
        cost = search_cost(index, clips[0])
    no_picture = VideoFingerprint(np.zeros((len(QUERY_VIEWS), 0, 4), np.uint64), QUERY_VIEWS)
    no_sound = AudioFingerprint.of(None, 0)

    def rank(picture: VideoFingerprint, sound: AudioFingerprint, own: int | None) -> dict:
        """How the search answers: the query's distance to every indexed video, and the shortlist it compares in full."""
        picture_d, sound_d = picture_distances(pictures, picture), sound_distances(sounds, sound)
        d, threshold = (picture_d, PICTURE_MATCH) if sound is no_sound else (sound_d, SOUND_MATCH)
        if own is None:
            return {"least": float(d.min()), "matched": bool(d.min() <= threshold)}
        shortlisted = own in shortlist(pictures, sounds, picture, sound)
        others = np.delete(d, own)
        return {"own": float(d[own]), "found": bool(d[own] <= threshold and shortlisted), "first": bool(d[own] < others.min()),
                "shortlisted": shortlisted}

    picture_rows = {name: [] for name in ATTACKS}
    for i, (frames, _) in enumerate(clips):
        for name, (_, attack) in ATTACKS.items():
            picture_rows[name].append(rank(VideoFingerprint.of(attack(frames, rng), FPS, QUERY_VIEWS), no_sound, position[f"video_{i}"]))
    sound_rows = {name: [] for name in SOUND_ATTACKS}
    for i, (_, audio) in enumerate(clips):
        for name, (_, attack) in SOUND_ATTACKS.items():
            sound_rows[name].append(rank(no_picture, AudioFingerprint.of(attack(audio, rng).astype(np.float32), RATE), position[f"video_{i}"]))
    stranger_picture = [rank(VideoFingerprint.of(f, FPS, QUERY_VIEWS), no_sound, None) for f, _ in strangers]
    stranger_sound = [rank(no_picture, AudioFingerprint.of(a, RATE), None) for _, a in strangers]

    def summary(rows: list[dict]) -> dict:
        return {"recall": float(np.mean([r["found"] for r in rows])), "top1": float(np.mean([r["first"] for r in rows])),
                "shortlisted": float(np.mean([r["shortlisted"] for r in rows])),
                "median_distance": float(np.median([r["own"] for r in rows])), "worst_distance": float(max(r["own"] for r in rows))}

    def strangers_summary(rows: list[dict]) -> dict:
        return {"least_distance": float(min(r["least"] for r in rows)), "false_match_rate": float(np.mean([r["matched"] for r in rows]))}

    result = {
        "command": f"OMP_NUM_THREADS=1 nice -n 15 python benchmarks/reverse_search.py --n {args.n} --indexed {args.indexed}",
        "clips_attacked": args.n, "videos_indexed": len(index), "clips_never_indexed": args.n, "size": "128x128", "seconds": 33 / FPS,
        "thresholds": {"picture": PICTURE_MATCH, "sound": SOUND_MATCH},
        "views": {"indexed": [repr(v) for v in INDEXED_VIEWS], "query": [repr(v) for v in QUERY_VIEWS]},
        "picture": {name: {"attack": ATTACKS[name][0], **summary(rows)} for name, rows in picture_rows.items()},
        "sound": {name: {"attack": SOUND_ATTACKS[name][0], **summary(rows)} for name, rows in sound_rows.items()},
        "never_indexed": {"picture": strangers_summary(stranger_picture), "sound": strangers_summary(stranger_sound)},
        "seconds_to_fingerprint_and_index_a_clip": index_seconds,
        "index": cost,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for kind in ("picture", "sound"):
        for name, row in result[kind].items():
            print(f"{kind:7s} {row['attack']:60s} recall {row['recall']:.3f} top-1 {row['top1']:.3f} worst {row['worst_distance']:.3f}")
    print("never indexed:", result["never_indexed"])
    print(f"fingerprint and index {index_seconds:.3f} s per clip; index:", json.dumps(cost))


if __name__ == "__main__":
    main()
