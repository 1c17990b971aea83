"""How well a video model does every task on held-out prompts, measured with `vidora eval`.

Scenes come from the world's held-out split (colour x shape x background combinations and a speed
band never seen in training). Each task has its own metric besides the evaluator's faithfulness:

* text       text-to-video: colour, shape, count, direction, background, style, A/V sync, physics
* image      first frame given: that frame kept (PSNR), the cut after it (seam ratio), faithfulness
* forward    the world clip extended by one chunk: the clip kept, seam ratio, the continuation's
             physics against the simulator run on for as long
* backward   one chunk made before the world clip: the clip kept, seam ratio, faithfulness
* between    first and last world frames given: PSNR of the frames between against the real ones,
             next to a cross-fade of the two keyframes
* loop       seam ratio of the wrap from the last frame to the first
* remix      the world clip remixed with the prompt of the same scene in new colours (strength 0.6):
             colour accuracy against the new colours, motion kept (velocity error)
* storyboard two shots: the cut found at the shot boundary, each shot faithful to its prompt
* character  a character's reference image given: the character present and recognisable
* speed      slow and fast next to normal, same prompt and seed: ratio of measured object speeds
* style      each art style asked by the style option: the style read back
* autoencoder the held-out world clip through the model's own video VAE, audio VAE and vocoder and
             back, no transformer: the ceiling any transformer reaches with these autoencoders
             (built-in checkpoints only)

The seam ratio is the frame difference across a join over the median difference between
consecutive frames elsewhere: about 1 is seamless, large is a visible jump.

Per-clip rows are appended to WORK/rows.jsonl as they finish, so a stopped run continues where
it stopped; the summary goes to benchmarks/results/model_quality.json.

Usage: python benchmarks/model_quality.py [--model builtin] [--n 500] [--n-task 50] [--tasks text,image,...]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from vidora import VideoPipeline
from vidora.engine.options import STYLES, Shot
from vidora.eval.corruptions import recolour
from vidora.eval.detect import read_clip
from vidora.eval.evaluate import evaluate_clip
from vidora.media import Clip
from vidora.world.captions import caption
from vidora.world.vocab import AUDIO_RATE
from vidora.world.characters import sprite
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler

RESULTS = Path(__file__).parent / "results" / "model_quality.json"
FIRST_SEED = 700_000  # scene seeds of this benchmark: far from training draws and the trainer's samples
REMIX_STRENGTH = 0.6


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255.0**2 / mse)


def seam_ratio(frames: np.ndarray, at: int | None = None) -> float:
    """Jump across the join before frame ``at`` (None: the wrap from the last frame to the first)."""
    steps = np.abs(np.diff(frames.astype(np.float32), axis=0)).mean(axis=(1, 2, 3))
    if at is None:
        jump = float(np.abs(frames[0].astype(np.float32) - frames[-1].astype(np.float32)).mean())
        usual = steps
    else:
        jump = float(steps[at - 1])
        usual = np.delete(steps, at - 1)
    return jump / max(float(np.median(usual)), 1e-3)


def mean_speed(frames: np.ndarray) -> float | None:
    """Mean speed (pixels per frame) of the tracked objects, corrected for camera pan."""
    reading = read_clip(frames)
    speeds = []
    for track in reading.tracks:
        xy = track.xy.copy()
        xy[:, 0] -= np.cumsum(reading.pan)
        step = np.linalg.norm(np.diff(xy, axis=0), axis=1)
        step = step[np.isfinite(step)]
        if step.size >= 4:
            speeds.append(float(step.mean()))
    return float(np.mean(speeds)) if speeds else None


def _as_clip(world) -> Clip:
    return Clip(frames=world.frames, fps=world.spec.fps, audio=world.audio, audio_rate=AUDIO_RATE)


def _metrics(result, prompt: str, spec=None) -> dict:
    return evaluate_clip(result.frames, result.audio, prompt=prompt, spec=spec).metrics


class Tasks:
    """One method per task: (scene seed) -> metrics of one generated clip."""

    def __init__(self, pipe: VideoPipeline, steps: int | None, guidance: float | None = None):
        self.pipe, self.steps, self.guidance = pipe, steps, guidance
        b = pipe.backend  # scenes are filmed the way the model films them: its chunk length, rate and size
        shape = dict(frames=b.frames, fps=b.fps, width=b.size[0], height=b.size[1], split="heldout")
        self.scenes = SceneSampler(SamplerConfig(**shape))
        self.character_scenes = SceneSampler(SamplerConfig(**shape, character_prob=1.0))

    def _scene(self, seed: int, character: bool = False):
        spec = (self.character_scenes if character else self.scenes).sample(seed)
        return spec, caption(spec, np.random.default_rng(seed))

    def _make(self, seed: int, **kwargs):
        return self.pipe(seed=seed, steps=self.steps, guidance=self.guidance, **kwargs)

    def text(self, seed: int) -> dict:
        spec, prompt = self._scene(seed)
        return _metrics(self._make(seed, prompt=prompt), prompt, spec)

    def image(self, seed: int) -> dict:
        spec, prompt = self._scene(seed)
        real = render_clip(spec)
        out = self._make(seed, prompt=prompt, image=real.frames[0])
        return {**_metrics(out, prompt, spec), "given_psnr": psnr(out.frames[0], real.frames[0]),
                "seam_ratio": seam_ratio(out.frames, 1)}

    def forward(self, seed: int) -> dict:
        spec, prompt = self._scene(seed)
        real = render_clip(spec)
        out = self._make(seed, prompt=prompt, video=_as_clip(real), extend="forward")
        n = len(real.frames)
        longer = replace(spec, frames=len(out.frames))
        return {**_metrics(out, prompt, longer), "given_psnr": psnr(out.frames[:n], real.frames),
                "seam_ratio": seam_ratio(out.frames, n)}

    def backward(self, seed: int) -> dict:
        spec, prompt = self._scene(seed)
        real = render_clip(spec)
        out = self._make(seed, prompt=prompt, video=_as_clip(real), extend="backward")
        n = len(out.frames) - len(real.frames)
        return {**_metrics(out, prompt), "given_psnr": psnr(out.frames[n:], real.frames), "seam_ratio": seam_ratio(out.frames, n)}

    def between(self, seed: int) -> dict:
        spec, prompt = self._scene(seed)
        real = render_clip(spec)
        out = self._make(seed, prompt=prompt, keyframes=[real.frames[0], real.frames[-1]])
        T = len(real.frames)
        w = np.linspace(0, 1, T)[1:-1, None, None, None]
        fade = ((1 - w) * real.frames[0] + w * real.frames[-1]).round().astype(np.uint8)
        return {**_metrics(out, prompt, spec), "middle_psnr": psnr(out.frames[1:-1], real.frames[1:-1]),
                "crossfade_middle_psnr": psnr(fade, real.frames[1:-1]),
                "keyframe_psnr": psnr(out.frames[[0, -1]], real.frames[[0, -1]])}

    def loop(self, seed: int) -> dict:
        spec, prompt = self._scene(seed)
        out = self._make(seed, prompt=prompt, loop=True)
        return {**_metrics(out, prompt), "loop_seam_ratio": seam_ratio(out.frames)}

    def remix(self, seed: int) -> dict:
        spec, prompt = self._scene(seed)
        recoloured = recolour(spec)
        new_prompt = caption(recoloured, np.random.default_rng(seed))
        out = self._make(seed, prompt=new_prompt, video=_as_clip(render_clip(spec)), strength=REMIX_STRENGTH)
        m = _metrics(out, new_prompt, recoloured)
        return {"new_colour": m.get("colour"), "shape_kept": m.get("shape"), "velocity_error": m.get("velocity_error"),
                "direction_kept": m.get("direction"), "background": m.get("background")}

    def storyboard(self, seed: int) -> dict:
        (_, first), (_, second) = self._scene(seed), self._scene(seed + 1)
        out = self._make(seed, storyboard=[Shot(first, 1.0), Shot(second, 1.0)])
        cut = len(out.frames) // 2
        found = read_clip(out.frames).cuts
        shots = [evaluate_clip(part, prompt=p).metrics for part, p in ((out.frames[:cut], first), (out.frames[cut:], second))]
        row = {"cut_found": float(any(abs(c - cut) <= 1 for c in found))}
        for key in ("background", "colour", "shape"):
            values = [s[key] for s in shots if s.get(key) is not None]
            if values:
                row[f"shot_{key}"] = float(np.mean(values))
        return row

    def character(self, seed: int) -> dict:
        spec, prompt = self._scene(seed, character=True)
        index = next(o.character for o in spec.objects if o.is_character)
        out = self._make(seed, prompt=prompt, reference=sprite(index))
        return _metrics(out, prompt, spec)

    def speed(self, seed: int) -> dict:
        spec, _ = self._scene(seed)
        prompt = caption(replace(spec, speed=1.0), np.random.default_rng(seed))
        normal = mean_speed(self._make(seed, prompt=prompt, speed="normal").frames)
        row = {}
        for name in ("slow", "fast"):
            fast_or_slow = mean_speed(self._make(seed, prompt=prompt, speed=name).frames)
            if normal and fast_or_slow is not None:
                row[f"{name}_speed_ratio"] = fast_or_slow / normal
        return row

    def style(self, seed: int) -> dict:
        spec, _ = self._scene(seed)
        prompt = caption(replace(spec, style="flat"), np.random.default_rng(seed))
        return {f"style_{name}": float(read_clip(self._make(seed, prompt=prompt, style=name).frames).style == name)
                for name in STYLES}

    def autoencoder(self, seed: int) -> dict:
        spec, prompt = self._scene(seed)
        real = render_clip(spec)
        backend = self.pipe.backend
        if not hasattr(backend, "decode"):
            raise SystemExit("--tasks autoencoder: only built-in checkpoints expose their autoencoders")
        out = backend.decode(*backend.encode(real.frames, real.audio))
        return {**evaluate_clip(out.frames, out.audio, prompt=prompt, spec=spec).metrics, "psnr": psnr(out.frames, real.frames)}


TASK_NAMES = [name for name in vars(Tasks) if not name.startswith("_")]
PER_PROMPT = ("text", "autoencoder")  # run on --n scenes (the same ones), the other tasks on --n-task


def summarise(rows: list[dict]) -> dict:
    out = {}
    for task in TASK_NAMES:
        mine = [r["metrics"] for r in rows if r["task"] == task]
        if not mine:
            continue
        keys = sorted({k for m in mine for k, v in m.items() if v is not None})
        out[task] = {"clips": len(mine), "seconds_per_clip": round(float(np.mean([r["seconds"] for r in rows if r["task"] == task])), 1)}
        for k in keys:
            values = np.array([m[k] for m in mine if m.get(k) is not None], float)
            out[task][k] = {"mean": round(float(values.mean()), 4), "median": round(float(np.median(values)), 4), "clips": int(values.size)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="builtin")
    parser.add_argument("--n", type=int, default=500, help="held-out prompts for text-to-video and the autoencoder ceiling")
    parser.add_argument("--n-task", type=int, default=50, help="held-out scenes for each other task")
    parser.add_argument("--tasks", default=",".join(TASK_NAMES))
    parser.add_argument("--steps", type=int, default=None, help="denoising steps (default: the model's)")
    parser.add_argument("--guidance", type=float, default=None, help="classifier-free guidance (default: the model's)")
    parser.add_argument("--shard", default="0/1", help="K/N: run every N-th scene from the K-th, to share a run between "
                        "processes with their own --work; one run over the merged rows writes the summary")
    parser.add_argument("--work", type=Path, default=Path("benchmarks/results/.model_quality"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    tasks = args.tasks.split(",")
    unknown = sorted(set(tasks) - set(TASK_NAMES))
    if unknown:
        parser.error(f"--tasks: unknown {', '.join(unknown)}; choose from {', '.join(TASK_NAMES)}")
    shard, _, shards = args.shard.partition("/")
    if not (shard.isdigit() and shards.isdigit() and int(shard) < int(shards)):
        parser.error(f"--shard: want K/N with 0 <= K < N, got {args.shard!r}")
    shard, shards = int(shard), int(shards)
    runner = Tasks(VideoPipeline.from_pretrained(args.model), args.steps, args.guidance)
    args.work.mkdir(parents=True, exist_ok=True)
    rows_path = args.work / "rows.jsonl"
    rows = [json.loads(line) for line in rows_path.read_text().splitlines()] if rows_path.exists() else []
    done = {(r["task"], r["seed"]) for r in rows}
    with rows_path.open("a") as log:
        for task in tasks:
            for seed in range(FIRST_SEED, FIRST_SEED + (args.n if task in PER_PROMPT else args.n_task)):
                if (task, seed) in done or (seed - FIRST_SEED) % shards != shard:
                    continue
                started = time.time()
                row = {"task": task, "seed": seed, "metrics": getattr(runner, task)(seed),
                       "seconds": round(time.time() - started, 2)}
                log.write(json.dumps(row) + "\n")
                log.flush()
                rows.append(row)
                print(task, seed, {k: round(v, 3) for k, v in row["metrics"].items() if isinstance(v, float)}, flush=True)
    report = {"command": f"python benchmarks/model_quality.py --model {args.model} --n {args.n} --n-task {args.n_task}"
                         + (f" --steps {args.steps}" if args.steps else "")
                         + (f" --guidance {args.guidance}" if args.guidance else "")
                         + (f" --tasks {args.tasks}" if set(tasks) != set(TASK_NAMES) else ""),
              "model": args.model, "tasks": summarise([r for r in rows if r["task"] in tasks])}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(report, indent=2) + "\n")
    tmp.replace(args.out)
    for task, figures in report["tasks"].items():
        print(task, {k: v["mean"] for k, v in figures.items() if isinstance(v, dict)})


if __name__ == "__main__":
    main()
