"""Training the joint audio-video transformer on precomputed latents (rectified flow).

Every step draws, per clip, a task (Open-Sora's masking): plain text-to-video,
first frame given, the start or the end given (extension), keyframes given
(interpolation), scattered frames given; and, for clips with a character, its
reference image half of the time. The loss counts only what was not given.
Captions are rewritten from each clip's spec at every draw, and dropped 10%
of the time so classifier-free guidance has an unconditional branch.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from diffusers import LTX2VideoTransformer3DModel
from torch.utils.data import DataLoader, IterableDataset

from vidora.engine.builtin import AUDIO_LATENT_RATE, new_transformer
from vidora.engine.denoiser import Denoiser
from vidora.engine.latents import Conditioning, audio_frames_of
from vidora.engine.text import default_text_encoder
from vidora.training.loop import LoopConfig, starting_model, train_loop
from vidora.world.captions import caption
from vidora.world.spec import SceneSpec

TASKS = {  # task -> share of training draws
    "text": 0.40,
    "first_frame": 0.15,
    "extend_forward": 0.12,
    "extend_backward": 0.08,
    "keyframes": 0.15,
    "scattered_frames": 0.10,
}
TEXT_DROPOUT = 0.1
REFERENCE_SHARE = 0.5  # of clips with a character


class LatentClips(IterableDataset):
    """Endless random draws of {"video", "audio", "spec"} from an encoded dataset."""

    def __init__(self, root: str | Path, seed: int = 0):
        self.root = Path(root)
        self.stats = json.loads((self.root / "stats.json").read_text())
        self.count = json.loads((self.root / "progress.json").read_text())["done"]
        self.seed = seed

    def __iter__(self):
        video = np.load(self.root / "video.npy", mmap_mode="r")
        audio = np.load(self.root / "audio.npy", mmap_mode="r")
        specs = [json.loads(line)["spec"] for line in (self.root / "clips.jsonl").read_text().splitlines()[: self.count]]
        rng = random.Random(self.seed + torch.initial_seed())
        while True:
            i = rng.randrange(self.count)
            yield {"video": torch.from_numpy(video[i].astype(np.float32)),
                   "audio": torch.from_numpy(audio[i].astype(np.float32)), "spec": specs[i]}


def collate(samples: list[dict]) -> dict:
    return {"video": torch.stack([s["video"] for s in samples]), "audio": torch.stack([s["audio"] for s in samples]),
            "spec": [s["spec"] for s in samples]}


def task_frames(task: str, frames: int, rng: random.Random) -> torch.Tensor:
    """(F,) 0/1: which latent frames a task gives."""
    given = torch.zeros(frames)
    if task == "first_frame":
        given[0] = 1
    elif task == "extend_forward":
        given[: rng.randint(1, frames - 2)] = 1
    elif task == "extend_backward":
        given[frames - rng.randint(1, frames - 2) :] = 1
    elif task == "keyframes":
        given[0] = given[-1] = 1
        if rng.random() < 0.5:
            given[rng.randrange(1, frames - 1)] = 1
    elif task == "scattered_frames":
        for i in rng.sample(range(frames), rng.randint(1, frames // 2)):
            given[i] = 1
    return given


def draw_conditioning(video: torch.Tensor, audio: torch.Tensor, specs: list[SceneSpec], references: torch.Tensor,
                      fps: float, audio_rate: float, rng: random.Random) -> Conditioning:
    """A task per clip (see TASKS), and a character reference for some clips that have one."""
    B, _, F, _, _ = video.shape
    L = audio.shape[2]
    given = Conditioning.nothing(video.shape, audio.shape, reference=torch.zeros(B, *references.shape[1:]))
    given.video, given.audio = video, audio
    given.reference_mask = torch.zeros(B)
    names, weights = zip(*TASKS.items())
    for b, spec in enumerate(specs):
        frames = task_frames(rng.choices(names, weights)[0], F, rng)
        given.video_mask[b, 0] = frames.view(F, 1, 1)
        given.audio_mask[b, 0, :, 0] = audio_frames_of(frames, L, fps, audio_rate)
        characters = [o.character for o in spec.objects if o.character is not None]
        if characters and rng.random() < REFERENCE_SHARE:
            given.reference[b] = references[rng.choice(characters)]
            given.reference_mask[b] = 1
    return given


@dataclass
class TransformerRun:
    latents: Path
    run: Path
    steps: int = 20000
    batch_size: int = 8
    lr: float = 3e-4
    checkpoint_every: int = 250
    sample_every: int = 1000
    seed: int = 0
    warmup: int = 500  # steps; at most a tenth of the run
    init: Path | None = None  # transformer weights to continue from, e.g. the shipped checkpoint's


def flow_matching_loss(references: torch.Tensor, fps: float, audio_rate: float, seed: int):
    """Rectified-flow loss on the cells a task leaves to the model, video and audio."""
    rng = random.Random(seed)
    text_encoder = default_text_encoder()

    def loss(denoiser: Denoiser, batch: dict) -> tuple[torch.Tensor, dict[str, float]]:
        video, audio = batch["video"], batch["audio"]
        specs = [SceneSpec.from_dict(s) for s in batch["spec"]]
        B = video.shape[0]
        prompts = ["" if rng.random() < TEXT_DROPOUT else caption(s, np.random.default_rng(rng.getrandbits(32))) for s in specs]
        text, text_mask = text_encoder(prompts)
        given = draw_conditioning(video, audio, specs, references, fps, audio_rate, rng)
        sigma = torch.sigmoid(torch.randn(B))  # logit-normal noise levels (SD3)
        noise_v, noise_a = torch.randn_like(video), torch.randn_like(audio)
        s_v, s_a = sigma.view(B, 1, 1, 1, 1), sigma.view(B, 1, 1, 1)
        noisy_v, noisy_a = (1 - s_v) * video + s_v * noise_v, (1 - s_a) * audio + s_a * noise_a
        pred_v, pred_a = denoiser(noisy_v, noisy_a, given, text, text_mask, sigma, fps)
        free_v, free_a = 1 - given.video_mask, 1 - given.audio_mask
        loss_v = ((pred_v - (noise_v - video)) ** 2 * free_v).sum() / (free_v.sum() * video.shape[1]).clamp_min(1)
        loss_a = ((pred_a - (noise_a - audio)) ** 2 * free_a).sum() / (free_a.expand_as(audio).sum()).clamp_min(1)
        return loss_v + loss_a, {"video": float(loss_v.detach()), "audio": float(loss_a.detach())}

    return loss


def train_transformer(settings: TransformerRun, on_sample=None, on_progress=None) -> Denoiser:
    """Train (or resume) the transformer; writes the diffusers model to ``run/model``."""
    clips = LatentClips(settings.latents, seed=settings.seed)
    stats = clips.stats
    references = torch.from_numpy(np.load(settings.latents / "references.npy").astype(np.float32))
    fps = float(stats["fps"])
    loader = DataLoader(clips, batch_size=settings.batch_size, collate_fn=collate)
    config = LoopConfig(steps=settings.steps, lr=settings.lr, warmup=min(settings.warmup, settings.steps // 10), weight_decay=0.01,
                        checkpoint_every=settings.checkpoint_every, sample_every=settings.sample_every, seed=settings.seed)
    denoiser = train_loop(settings.run, Denoiser(starting_model(LTX2VideoTransformer3DModel, settings.init, new_transformer)), loader,
                          flow_matching_loss(references, fps, AUDIO_LATENT_RATE, settings.seed), config,
                          on_sample=on_sample, on_progress=on_progress)
    denoiser.transformer.save_pretrained(settings.run / "model")
    return denoiser


def sample_and_evaluate(run: Path, parts: dict, latents: Path, prompts: int = 8, steps: int = 20):
    """An ``on_sample`` hook: assemble a checkpoint of the current weights, generate held-out prompts,
    write a contact sheet and the `vidora eval` summary to run/samples/."""
    from vidora.engine.pipeline import VideoPipeline
    from vidora.eval.evaluate import evaluate_clip, summarise
    from vidora.media import contact_sheet
    from vidora.training.checkpoint import assemble_checkpoint
    from vidora.world.sampler import SamplerConfig, SceneSampler

    stats = json.loads((latents / "stats.json").read_text())
    sampler = SceneSampler(SamplerConfig(frames=stats["frames"], fps=stats["fps"], width=stats["size"][0],
                                         height=stats["size"][1], split="heldout"))

    def on_sample(denoiser: Denoiser, step: int) -> None:
        out = run / "samples"
        ckpt = assemble_checkpoint(out / "checkpoint", {**parts, "transformer": denoiser.transformer},
                                   stats["normalisation"], stats["fps"], stats["frames"], tuple(stats["size"]))
        pipe = VideoPipeline.from_pretrained(ckpt)
        results, clips, labels = [], [], []
        for i in range(prompts):
            spec = sampler.sample(900_000 + i)
            prompt = caption(spec, np.random.default_rng(i))
            video = pipe(prompt=prompt, seed=i, steps=steps)
            results.append(evaluate_clip(video.frames, video.audio, prompt=prompt, spec=spec, name=str(i)))
            clips.append(video.frames)
            labels.append(prompt[:90])
        contact_sheet(clips, frames_per_clip=6, labels=labels).save(out / f"step-{step:07d}.png")
        summary = {k: round(v["mean"], 4) for k, v in summarise(results).items()}
        with (run / "samples.jsonl").open("a") as f:
            f.write(json.dumps({"step": step, **summary}) + "\n")

    return on_sample
