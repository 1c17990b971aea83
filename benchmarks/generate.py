"""Generation speed of the built-in model on this machine's CPU.

Reports wall time and real-time factor for 2 s of 128x128 video with audio at
default settings, time per denoising step, and the decode stages. Speed does
not depend on the weights' values, so with no trained checkpoint (``--model
random``) a random-initialised one of the shipped architecture is timed.
Writes benchmarks/results/generate.json.

Usage: python benchmarks/generate.py [--model builtin|random|DIR] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import torch

from vidora.engine import VideoPipeline
from vidora.engine.builtin import new_audio_vae, new_transformer, new_video_vae, new_vocoder
from vidora.engine.latents import Conditioning
from vidora.engine.sampling import sample
from vidora.training.checkpoint import assemble_checkpoint

RESULTS = Path(__file__).parent / "results" / "generate.json"
PROMPT = "A red ball bounces on the grass while a small blue star falls onto the sand."


def random_checkpoint(out: Path) -> Path:
    torch.manual_seed(0)
    parts = {"vae": new_video_vae(), "audio_vae": new_audio_vae(), "vocoder": new_vocoder(), "transformer": new_transformer()}
    norm = {"video_mean": [0.0] * 16, "video_std": [1.0] * 16, "audio_mean": [0.0] * 8, "audio_std": [1.0] * 8}
    return assemble_checkpoint(out, parts, norm, fps=16, frames=33, size=(128, 128))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="random")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = random_checkpoint(Path(tmp) / "random") if args.model == "random" else args.model
        pipe = VideoPipeline.from_pretrained(path)
        backend = pipe.backend
        steps, guidance = backend.defaults["steps"], backend.defaults["guidance"]
        pipe(prompt=PROMPT, steps=2)  # warm-up: first calls allocate
        walls = []
        for seed in range(args.repeats):
            started = time.perf_counter()
            out = pipe(prompt=PROMPT, seed=seed)
            walls.append(time.perf_counter() - started)
        # One denoising step = the transformer twice (prompt and unconditional branch).
        text, empty = backend.text_encoder([PROMPT]), backend.text_encoder([""])
        video, audio = backend.encode(out.frames, out.audio)
        given = Conditioning.nothing(video.shape, audio.shape)
        started = time.perf_counter()
        sample(backend.denoiser, given, text, empty, tuple(video.shape), tuple(audio.shape), 16.0, 10, guidance,
               torch.Generator().manual_seed(0))
        per_step = (time.perf_counter() - started) / 10
        started = time.perf_counter()
        for _ in range(3):
            backend.decode(video, audio)
        decode = (time.perf_counter() - started) / 3
    wall = sorted(walls)[len(walls) // 2]
    result = {
        "command": f"python benchmarks/generate.py --model {args.model} --repeats {args.repeats}",
        "model": args.model,
        "machine": {"cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(), "processor": platform.processor() or platform.machine()},
        "video": {"seconds": out.seconds, "frames": len(out.frames), "size": list(out.frames.shape[2:0:-1]), "fps": out.fps,
                  "audio_rate": out.audio_rate},
        "defaults": {"steps": steps, "guidance": guidance},
        "wall_seconds_median": round(wall, 2),
        "wall_seconds_all": [round(w, 2) for w in walls],
        "real_time_factor": round(wall / out.seconds, 2),
        "seconds_per_denoising_step": round(per_step, 3),
        "decode_seconds": round(decode, 3),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
