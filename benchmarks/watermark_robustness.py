"""Robustness of the invisible watermark against the attack suite of issue 5, side by side with the
`invisible-watermark` package (dwtDct and dwtDctSvd); writes
benchmarks/results/watermark_robustness.json and watermark_robustness.md.

Usage: nice -n 15 python benchmarks/watermark_robustness.py [--n 200] [--clean 1000] [--large 8]
       [--methods vidora dwtDct dwtDctSvd] [--workers 1] [--work DIR] [--fresh]

Every clip is a seeded Vidora world render (128x128, 33 frames, 16 fps). Each method marks it
with a random 64-bit payload, the marked clip is exported the way Vidora exports (H.264 CRF 18
through vidora.media.write_mp4) and read back, then every attack is applied and the method reads
the payload back. `--large` clips are rendered at 832x480 (a real model's size) and run for
Vidora's mark only. `--clean` unmarked clips measure the false-positive rate. Times are CPU
seconds of the one process doing the work (the machine is shared, so wall time says little).

Results are cached per clip and method as JSON lines in the work directory (default
.cache/watermark_robustness): rerunning resumes where a run stopped, and the tables are rewritten
after every chunk, so a partial run already has figures (the table says how many clips each
column has). Vidora's 832x480 clips run first (few and slow), then its 128x128 clips, the clean
clips and the comparison methods; `--methods` runs some of them only (the tables keep every cached one).
Install the comparison methods with `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import platform
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import av
import numpy as np
from PIL import Image
from scipy import ndimage, optimize, stats
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from vidora.media import read_mp4, write_mp4
from vidora.provenance.watermark import FALSE_POSITIVE_RATE, HYPOTHESES, PAYLOAD_BITS, detect_watermark, embed_watermark, p_value_of
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler

RESULTS = Path(__file__).parent / "results"
FPS = 16
SEED = 70_000  # clip seeds: marked clips SEED + i, clean clips CLEAN_SEED + i, large clips LARGE_SEED + i
CLEAN_SEED = 80_000
LARGE_SEED = 90_000
EXPORT_CRF = 18  # write_mp4's default: what every Vidora video goes through before anyone attacks it
VIDEOSEAL_CRF40 = {"bit_accuracy": 0.80, "psnr_db": 48}

Frames = np.ndarray
Attack = Callable[[Frames, np.random.Generator], Frames]


# ---------------------------------------------------------------- attacks


def h264(frames: Frames, crf: int) -> Frames:
    with tempfile.TemporaryDirectory() as tmp:
        return read_mp4(write_mp4(Path(tmp) / "attack.mp4", frames, FPS, crf=crf)).frames


def h265(frames: Frames, crf: int) -> Frames:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("libx265", rate=FPS, options={"crf": str(crf), "x265-params": "log-level=none:pools=1:frame-threads=1"})
        stream.height, stream.width = frames.shape[1:3]
        stream.pix_fmt = "yuv420p"
        for index, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24").reformat(format="yuv420p")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    buffer.seek(0)
    with av.open(buffer) as container:
        return np.stack([frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)])


def resize(frames: Frames, scale: float) -> Frames:
    height, width = frames.shape[1:3]
    size = (round(width * scale / 2) * 2, round(height * scale / 2) * 2)
    return np.stack([np.asarray(Image.fromarray(f).resize(size, Image.BICUBIC)) for f in frames])


def crop(frames: Frames, area: float, rng: np.random.Generator, corner: bool = False) -> Frames:
    """Keep `area` of the picture: a random window, or one in a random corner (the visible mark
    sits at an edge; cutting a corner off is how one removes it)."""
    height, width = frames.shape[1:3]
    keep_h, keep_w = (round(s * math.sqrt(area) / 2) * 2 for s in (height, width))
    if corner:
        top, left = rng.choice([0, height - keep_h]), rng.choice([0, width - keep_w])
    else:
        top, left = rng.integers(0, height - keep_h + 1), rng.integers(0, width - keep_w + 1)
    return frames[:, top : top + keep_h, left : left + keep_w]


def brightness(frames: Frames, factor: float) -> Frames:
    return np.clip(np.rint(frames.astype(np.float32) * factor), 0, 255).astype(np.uint8)


def contrast(frames: Frames, factor: float) -> Frames:
    pixels = frames.astype(np.float32)
    mean = pixels.mean(axis=(1, 2, 3), keepdims=True)
    return np.clip(np.rint((pixels - mean) * factor + mean), 0, 255).astype(np.uint8)


def blur(frames: Frames, sigma: float) -> Frames:
    return np.clip(np.rint(ndimage.gaussian_filter(frames.astype(np.float32), (0, sigma, sigma, 0))), 0, 255).astype(np.uint8)


def rotate(frames: Frames, degrees: float) -> Frames:
    return np.stack([np.asarray(Image.fromarray(f).rotate(degrees, Image.BILINEAR)) for f in frames])


def retime(frames: Frames, fps: float) -> Frames:
    """Resample to `fps` by taking the nearest frame in time (frames dropped or repeated)."""
    count = int(len(frames) * fps / FPS)
    return frames[np.minimum(np.rint(np.arange(count) * FPS / fps).astype(int), len(frames) - 1)]


def trim(frames: Frames, seconds: float, rng: np.random.Generator) -> Frames:
    count = int(FPS * seconds)
    start = int(rng.integers(0, len(frames) - count + 1))
    return frames[start : start + count]


ATTACKS: dict[str, tuple[str, Attack]] = {
    "none": ("exported (H.264 CRF 18) only", lambda f, r: f),
    "h264_crf23": ("H.264 re-encode, CRF 23", lambda f, r: h264(f, 23)),
    "h264_crf30": ("H.264 re-encode, CRF 30", lambda f, r: h264(f, 30)),
    "h264_crf40": ("H.264 re-encode, CRF 40", lambda f, r: h264(f, 40)),
    "h265_crf30": ("H.265 re-encode, CRF 30", lambda f, r: h265(f, 30)),
    "downscale_0.5": ("downscale to 0.5 (bicubic)", lambda f, r: resize(f, 0.5)),
    "downscale_0.71": ("downscale to 0.71", lambda f, r: resize(f, 0.71)),
    "crop_0.71": ("crop to 0.71 of the area (random window)", lambda f, r: crop(f, 0.71, r)),
    "crop_0.55": ("crop to 0.55 of the area", lambda f, r: crop(f, 0.55, r)),
    "brightness_0.5": ("brightness x0.5", lambda f, r: brightness(f, 0.5)),
    "brightness_1.5": ("brightness x1.5 (highlights clip)", lambda f, r: brightness(f, 1.5)),
    "contrast_0.5": ("contrast x0.5", lambda f, r: contrast(f, 0.5)),
    "contrast_1.5": ("contrast x1.5", lambda f, r: contrast(f, 1.5)),
    "blur": ("Gaussian blur, sigma 1 px", lambda f, r: blur(f, 1.0)),
    "hflip": ("horizontal flip", lambda f, r: f[:, :, ::-1]),
    "rotate_10": ("rotation by 10 degrees (black corners)", lambda f, r: rotate(f, 10.0)),
    "fps_10": ("frame rate 16 -> 10 fps", lambda f, r: retime(f, 10.0)),
    "trim_1s": ("trimmed to a 1-second segment", lambda f, r: trim(f, 1.0, r)),
    "mark_cropped": ("visible mark cropped away (corner crop to 0.64 of the area)", lambda f, r: crop(f, 0.64, r, corner=True)),
    "combined": ("crop 0.71 + brightness x0.5 + H.264 CRF 30", lambda f, r: h264(brightness(crop(f, 0.71, r), 0.5), 30)),
}


# ---------------------------------------------------------------- methods


class Vidora:
    name = "vidora"

    def embed(self, frames: Frames, payload: int) -> Frames:
        return embed_watermark(frames, payload)

    def read(self, frames: Frames, payload: int) -> tuple[float, float]:
        """Bit accuracy against `payload`, and the blind p-value."""
        found = detect_watermark(frames)
        return found.bit_accuracy(payload), found.p_value


class InvisibleWatermark:
    """The `invisible-watermark` package's frame marks (the encoder classes are used directly: the
    package's wrapper refuses frames under 256x256). A clip's payload is read per frame and
    decided by majority; it has no blind test, so its p-value is the chance that an unmarked
    clip matches the known payload on as many bits (binomial), which favours it."""

    def __init__(self, method: str):
        from imwatermark.dwtDctSvd import EmbedDwtDctSvd
        from imwatermark.maxDct import EmbedMaxDct

        self.name = method
        self.codec = {"dwtDct": EmbedMaxDct, "dwtDctSvd": EmbedDwtDctSvd}[method]

    def embed(self, frames: Frames, payload: int) -> Frames:
        encoder = self.codec(list(_bits(payload)), wmLen=PAYLOAD_BITS)
        return np.stack([encoder.encode(np.ascontiguousarray(f[..., ::-1]))[..., ::-1] for f in frames])

    def read(self, frames: Frames, payload: int) -> tuple[float, float]:
        decoder = self.codec([], wmLen=PAYLOAD_BITS)
        votes = np.mean([decoder.decode(np.ascontiguousarray(f[..., ::-1])) for f in frames], axis=0)
        matches = int(np.sum((votes > 0.5) == _bits(payload)))
        return matches / PAYLOAD_BITS, float(stats.binom.sf(matches - 1, PAYLOAD_BITS, 0.5))


def _bits(payload: int) -> np.ndarray:
    return np.array([(payload >> (PAYLOAD_BITS - 1 - i)) & 1 for i in range(PAYLOAD_BITS)], bool)


METHODS = ("vidora", "dwtDct", "dwtDctSvd")


def method_named(name: str) -> Vidora | InvisibleWatermark:
    return Vidora() if name == "vidora" else InvisibleWatermark(name)


# ---------------------------------------------------------------- one clip


def render(seed: int, large: bool) -> Frames:
    config = SamplerConfig(width=832, height=480) if large else SamplerConfig()
    return render_clip(SceneSampler(config).sample(seed)).frames


def marked_clip(task: tuple[str, int, bool]) -> dict:
    """One method on one clip: embed, export, every attack, read."""
    method_name, index, large = task
    method = method_named(method_name)
    seed = (LARGE_SEED if large else SEED) + index
    original = render(seed, large)
    payload = int(np.random.default_rng([seed, 64]).integers(0, 2**63)) << 1 | seed & 1
    start = time.process_time()
    marked = method.embed(original, payload)
    embed_s = time.process_time() - start
    exported = h264(marked, EXPORT_CRF)
    exported_original = h264(original, EXPORT_CRF)
    attacks = {}
    for name, (_, attack) in ATTACKS.items():
        attacked = attack(exported, np.random.default_rng([seed, len(name)]))
        start = time.process_time()
        accuracy, p_value = method.read(attacked, payload)
        attacks[name] = {"bit_accuracy": accuracy, "p_value": p_value, "detect_cpu_s": time.process_time() - start}
    return {
        "index": index,
        "seed": seed,
        "psnr": float(np.mean([peak_signal_noise_ratio(o, m, data_range=255) for o, m in zip(original, marked)])),
        "ssim": float(np.mean([structural_similarity(o, m, channel_axis=-1, data_range=255) for o, m in zip(original, marked)])),
        "embed_cpu_s": embed_s,
        "mark_kept": {str(crf): mark_kept(exported_original, exported, crf) for crf in KEPT_CRFS},
        "attacks": attacks,
    }


KEPT_CRFS = (30, 40)


def mark_kept(original: Frames, marked: Frames, crf: int) -> float:
    """Share of the mark's luma that an H.264 re-encode at `crf` keeps: the re-encoded marked clip
    less the re-encoded original, projected on the mark (1 = all of it, 0 = none)."""
    def luma(frames: Frames) -> np.ndarray:
        return frames.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)

    mark = luma(marked) - luma(original)
    kept = luma(h264(marked, crf)) - luma(h264(original, crf))
    return float(np.sum(kept * mark) / max(float(np.sum(mark * mark)), 1e-12))


def clean_clip(task: tuple[str, int, bool]) -> dict:
    """Vidora's blind p-value on an unmarked clip. (The comparison methods are checked against a
    random payload, so their match count on an unmarked clip is exactly binomial: their
    false-positive rate is the binomial tail by construction and needs no clips.)"""
    _, index, _ = task
    seed = CLEAN_SEED + index
    found = detect_watermark(h264(render(seed, False), EXPORT_CRF))
    return {"index": index, "seed": seed, "p_value": found.p_value, "score": found.score}


# ---------------------------------------------------------------- running and tables


def run(name: str, job: Callable[[tuple[str, int, bool]], dict], method: str, count: int, large: bool, work: Path, workers: int,
        on_chunk: Callable[[], None]) -> None:
    """Run `job` for clips 0..count-1 of one method, skipping those cached in work/name.jsonl."""
    cache = work / f"{name}.jsonl"
    done = {r["index"] for r in _load(cache)}
    todo = [(method, i, large) for i in range(count) if i not in done]
    if not todo:
        return
    print(f"{name}: {len(done)} cached, {len(todo)} to go", flush=True)
    chunk = 2 * workers  # small chunks: little is lost when a run is stopped, and the tables follow closely
    with ProcessPoolExecutor(workers) as pool:
        for start in range(0, len(todo), chunk):
            with cache.open("a") as out:
                for record in pool.map(job, todo[start : start + chunk]):
                    out.write(json.dumps(record) + "\n")
            print(f"{name}: {len(done) + min(start + chunk, len(todo))}/{count}", flush=True)
            on_chunk()


def _load(path: Path) -> list[dict]:
    """The cached records, each clip once (a run stopped mid-write leaves at most a torn last line)."""
    if not path.exists():
        return []
    records = {}
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        records[record["index"]] = record
    return [records[i] for i in sorted(records)]


def summarise(work: Path, args: argparse.Namespace) -> dict:
    clean = _load(work / "clean-vidora.jsonl")
    tables = {name: _method_table(_load(work / f"marked-{name}.jsonl")) for name in METHODS}
    return {
        "command": f"nice -n 15 python benchmarks/watermark_robustness.py --n {args.n} --clean {args.clean} --large {args.large}",
        "planned": {"clips": args.n, "clean_clips": args.clean, "large_clips": args.large},
        "clips": {name: table.get("clips", 0) for name, table in tables.items()},
        "large_clips": len(_load(work / "large-vidora.jsonl")),
        "clean_clips": len(clean),
        "format": "Vidora world clips, 128x128 (large: 832x480), 33 frames at 16 fps; marked clips exported as H.264 CRF 18 before each attack",
        "detection_threshold": f"p-value <= {FALSE_POSITIVE_RATE:g} (Vidora: blind test, union bound over {HYPOTHESES} registrations; "
        "invisible-watermark: binomial match count against the known payload)",
        "timing": "CPU seconds of the process doing the work (time.process_time), per clip of 33 frames",
        "attacks": {name: text for name, (text, _) in ATTACKS.items()},
        "processor": platform.processor() or platform.machine(),
        "reference": {"videoseal_h264_crf40": VIDEOSEAL_CRF40},
        "methods": {name: table for name, table in tables.items() if table},
        "large_methods": {"vidora": table} if (table := _method_table(_load(work / "large-vidora.jsonl"))) else {},
        "false_positives": _false_positives([r["p_value"] for r in clean], [r["score"] for r in clean]),
    }


def _false_positives(p_values: list[float], scores: list[float]) -> dict:
    """Clean clips detected, and how far the best sync score of a clean clip stays from the score
    that the threshold needs (the p-value bound is 1 for most clean clips, so it says little)."""
    threshold = optimize.brentq(lambda z: p_value_of(z) - FALSE_POSITIVE_RATE, 1.0, 20.0)
    return {
        "clips": len(p_values),
        "score_needed": _round(threshold, 3),
        "largest_clean_score": _round(max(scores), 3) if scores else None,
        "detected": sum(p <= FALSE_POSITIVE_RATE for p in p_values),
        "share_with_p_value_below_0.01": _round(np.mean([p <= 0.01 for p in p_values]), 4) if p_values else None,
        "smallest_p_value": min(p_values, default=None),
    }


def _method_table(runs: list[dict]) -> dict:
    if not runs:
        return {}
    timed = [m for m in runs if "embed_cpu_s" in m]  # clips cached before times were CPU times have none
    return {
        "clips": len(runs),
        "psnr_db": {"mean": _round(np.mean([m["psnr"] for m in runs])), "min": _round(np.min([m["psnr"] for m in runs]))},
        "ssim": {"mean": _round(np.mean([m["ssim"] for m in runs]), 4), "min": _round(np.min([m["ssim"] for m in runs]), 4)},
        "embed_cpu_ms": _round(1000 * np.mean([m["embed_cpu_s"] for m in timed]), 1) if timed else None,
        "detect_cpu_ms": _round(1000 * np.mean([a["detect_cpu_s"] for m in timed for a in m["attacks"].values()]), 1) if timed else None,
        "mark_kept": {crf: _round(np.mean(kept), 3) for crf in map(str, KEPT_CRFS) if (kept := [m["mark_kept"][crf] for m in runs if "mark_kept" in m])},
        "attacks": {
            attack: {
                "bit_accuracy": _round(np.mean([m["attacks"][attack]["bit_accuracy"] for m in runs]), 4),
                "all_bits_right": _round(np.mean([m["attacks"][attack]["bit_accuracy"] == 1.0 for m in runs]), 4),
                "detection_rate": _round(np.mean([m["attacks"][attack]["p_value"] <= FALSE_POSITIVE_RATE for m in runs]), 4),
            }
            for attack in ATTACKS
        },
    }


def _round(value: float, digits: int = 2) -> float:
    return round(float(value), digits)


def markdown(summary: dict) -> str:
    columns = {name: table for name, table in summary["methods"].items()}
    if summary["large_methods"]:
        columns["vidora 832x480"] = summary["large_methods"]["vidora"]
    planned = summary["planned"]
    counts = ", ".join(f"{name} {table['clips']}" for name, table in columns.items())
    complete = (all(summary["clips"][name] >= planned["clips"] for name in METHODS) and summary["large_clips"] >= planned["large_clips"]
                and summary["clean_clips"] >= planned["clean_clips"])
    status = "" if complete else (
        f"**Partial run** ({planned['clips']} clips a method, {planned['large_clips']} at 832x480 and "
        f"{planned['clean_clips']} clean clips planned; rerun the command to continue). ")
    lines = [
        "# Invisible watermark robustness",
        "",
        f"`{summary['command']}`. {status}Clips per column: {counts}; {summary['clean_clips']} clean clips. "
        "World clips at 128x128 (33 frames, 16 fps), exported as H.264 CRF 18 before each attack. "
        "Each cell: bit accuracy / detection rate at a false-positive rate <= 1e-6.",
        "",
        "| attack | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for attack, text in summary["attacks"].items():
        lines.append(f"| {text} | " + " | ".join(_cell(t["attacks"][attack]) for t in columns.values()) + " |")
    for label, key in (("PSNR dB (mean / min)", "psnr_db"), ("SSIM (mean / min)", "ssim")):
        lines.append(f"| {label} | " + " | ".join(f"{t[key]['mean']} / {t[key]['min']}" for t in columns.values()) + " |")
    for label, key in (("embed CPU ms per clip", "embed_cpu_ms"), ("detect CPU ms per clip", "detect_cpu_ms")):
        lines.append(f"| {label} | " + " | ".join("not timed" if t[key] is None else str(t[key]) for t in columns.values()) + " |")
    for crf in map(str, KEPT_CRFS):
        lines.append(f"| share of the mark kept by H.264 CRF {crf} | " + " | ".join(str(t["mark_kept"].get(crf, "")) for t in columns.values()) + " |")
    fp = summary["false_positives"]
    if fp["clips"]:
        cells = [f"{fp['detected']} of {fp['clips']} (top score {fp['largest_clean_score']}, needs {fp['score_needed']})" if name == "vidora"
                 else "binomial" if name in METHODS else "" for name in columns]
        lines.append("| clean clips detected | " + " | ".join(cells) + " |")
    lines += ["", f"Detection: {summary['detection_threshold']}. Times: {summary['timing']}; clips cached before the "
              "benchmark timed them are left out of the means (\"not timed\": none of that column's clips were timed)."]
    if fp["clips"]:
        lines += ["", f"False positives: {fp['detected']} of {fp['clips']} clean clips detected, so the empirical rate is below "
                  f"{3 / fp['clips']:.1e} (95% confidence, rule of three); the test's analytic bound is 1e-6 for any video."]
    lines.append("")
    return "\n".join(lines)


def _cell(row: dict) -> str:
    return f"{row['bit_accuracy']:.3f} / {row['detection_rate']:.2f}"


def write_results(work: Path, args: argparse.Namespace) -> dict:
    summary = summarise(work, args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for path, text in ((RESULTS / "watermark_robustness.json", json.dumps(summary, indent=2) + "\n"), (RESULTS / "watermark_robustness.md", markdown(summary))):
        partial = path.with_suffix(path.suffix + ".tmp")
        partial.write_text(text)
        partial.replace(path)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="marked 128x128 clips")
    parser.add_argument("--clean", type=int, default=1000, help="unmarked clips for the false-positive rate")
    parser.add_argument("--large", type=int, default=4, help="marked 832x480 clips (Vidora's mark only)")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS), help="methods to run (vidora: also the clean and 832x480 clips)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(".cache/watermark_robustness"))
    parser.add_argument("--fresh", action="store_true", help="drop cached clips first")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        for cached in args.work.glob("*.jsonl"):
            cached.unlink()

    def refresh() -> None:
        write_results(args.work, args)

    if "vidora" in args.methods:
        run("large-vidora", marked_clip, "vidora", args.large, True, args.work, args.workers, refresh)
        run("marked-vidora", marked_clip, "vidora", args.n, False, args.work, args.workers, refresh)
        run("clean-vidora", clean_clip, "vidora", args.clean, False, args.work, args.workers, refresh)
    for name in METHODS[1:]:
        if name in args.methods:
            run(f"marked-{name}", marked_clip, name, args.n, False, args.work, args.workers, refresh)
    print(markdown(write_results(args.work, args)))


if __name__ == "__main__":
    main()
