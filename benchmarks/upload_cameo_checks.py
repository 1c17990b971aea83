"""What checking an uploaded input for cameos costs, per request: `cameos_in_upload` as the studio and both APIs
run it before a remix, an extension or an image-to-video is queued.

It reads the upload at 8 frames a second (at most 480 pixels a side), looks for this instance's watermark,
searches the fingerprint index (a linear scan: its size matters) and compares the faces in 4 of the frames with
the verified cameos. Each case is an MP4 (or a PNG) of a world clip scaled to the size named, not in the index and
unmarked (the slow path: the watermark search runs to its end and reverse search finds nothing), timed after one
warm-up call. Writes benchmarks/results/upload_cameo_checks.json.

Usage: OMP_NUM_THREADS=1 nice -n 15 python benchmarks/upload_cameo_checks.py [--indexed 500] [--repeats 3]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "upload_cameo_checks.json"
# 1080p at 16 fps for 10 s is 160 frames: about the most an upload may decode to (MAX_VIDEO_DECODED_BYTES, 1 GiB).
CASES = [("video", 128, 128, 2), ("video", 832, 480, 10), ("video", 1920, 1080, 10), ("image", 1920, 1080, 0)]


def world_frames(width: int, height: int, seconds: float, fps: int = 16) -> np.ndarray:
    from vidora.world.clip import render_clip
    from vidora.world.sampler import SamplerConfig, SceneSampler

    spec = SceneSampler(SamplerConfig(frames=33, fps=fps, width=128, height=128, split="any", max_objects=3)).sample(1)
    base = render_clip(spec).frames
    frames = [np.asarray(Image.fromarray(base[i % len(base)]).resize((width, height), Image.BILINEAR))
              for i in range(max(1, round(seconds * fps)))]
    return np.stack(frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indexed", type=int, default=500, help="videos in the fingerprint index")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vidora-bench-") as home:  # a throwaway instance: database and index
        os.environ.update(VIDORA_HOME=home, DJANGO_SETTINGS_MODULE="vidora.app.settings")
        measure(home, args.indexed, args.repeats)


def measure(home: str, indexed: int, repeats: int) -> None:
    import django
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from vidora.app.cameos.services import cameos_in_upload
    from vidora.app.provenance import provenance_settings
    from vidora.media import write_mp4
    from vidora.provenance import AudioFingerprint, VideoFingerprint
    from vidora.world.clip import render_clip
    from vidora.world.sampler import SamplerConfig, SceneSampler

    index = provenance_settings().index
    sampler = SceneSampler(SamplerConfig(frames=33, fps=16, width=128, height=128, split="any", max_objects=3))
    for seed in range(indexed):
        clip = render_clip(sampler.sample(10_000 + seed))
        index.add(f"video_bench{seed}", VideoFingerprint.of(clip.frames, 16), AudioFingerprint.of(clip.audio, 16000))

    results = []
    for kind, width, height, seconds in CASES:
        frames = world_frames(width, height, seconds)
        if kind == "video":
            data = write_mp4(Path(home) / "upload.mp4", frames, 16, crf=28).read_bytes()
            name = "upload.mp4"
        else:
            buffer = io.BytesIO()
            Image.fromarray(frames[0]).save(buffer, format="PNG")
            data, name = buffer.getvalue(), "upload.png"
        times = []
        for _ in range(repeats + 1):  # the first loads dlib's and the watermark's tables
            start = time.perf_counter()
            found = cameos_in_upload(SimpleUploadedFile(name, data), kind)
            times.append(time.perf_counter() - start)
        assert not found
        row = {"input": kind, "size": f"{width}x{height}", "seconds": seconds, "megabytes": round(len(data) / 1e6, 2),
               "check_seconds_median": round(statistics.median(times[1:]), 3), "check_seconds_max": round(max(times[1:]), 3)}
        print(json.dumps(row))
        results.append(row)
    RESULTS.write_text(json.dumps({"indexed_videos": indexed, "repeats": repeats, "cases": results,
                                   "machine": platform.processor() or platform.machine(),
                                   "load_average": os.getloadavg()[0]}, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
