"""Training the built-in model's autoencoders on world clips.

The video VAE learns to squeeze clips into the latent grid the transformer
works on; its loss weights object pixels up, since small objects carry what
the evaluator (and the viewer) reads: colour, shape, identity.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import torch
from diffusers import AutoencoderKLLTX2Video
from torch.utils.data import DataLoader

from vidora.engine.builtin import new_video_vae
from vidora.errors import SpecError
from vidora.media import contact_sheet
from vidora.engine.codec import tensor_to_video, video_to_tensor
from vidora.training.data import WorldClips
from vidora.training.loop import ComponentRun, starting_model, train_loop
from vidora.world.dataset import iter_dataset

FOREGROUND_THRESHOLD = 0.15  # distance (in [-1, 1] units, RGB norm) from the row's typical colour
FOREGROUND_WEIGHT = 4.0


def foreground_weight(video: torch.Tensor) -> torch.Tensor:
    """(B, 3, T, H, W) -> (B, 1, T, H, W): 1 on background, 1 + FOREGROUND_WEIGHT on objects.

    Backgrounds are vertical gradients, so a pixel far from its row's median
    colour belongs to an object.
    """
    row_median = video.median(dim=-1, keepdim=True).values
    distance = (video - row_median).norm(dim=1, keepdim=True)
    return 1.0 + FOREGROUND_WEIGHT * (distance > FOREGROUND_THRESHOLD).float()


def vae_loss(kl_weight: float, weigh: Callable[[torch.Tensor], torch.Tensor] | None = None):
    """L1 reconstruction (weighted per element by ``weigh(input)`` if given) plus a small KL
    term, for diffusers' AutoencoderKL-style models: batch["x"] is the input."""

    def loss(model: torch.nn.Module, batch: dict) -> tuple[torch.Tensor, dict[str, float]]:
        x = batch["x"]
        posterior = model.encode(x).latent_dist
        recon = model.decode(posterior.sample()).sample
        error = (recon - x).abs()
        if weigh is not None:
            weight = weigh(x)
            l1 = (error * weight).mean() / weight.mean()
        else:
            l1 = error.mean()
        # Per latent element (diffusers' kl() sums over only some axes of a 5-D latent).
        kl = 0.5 * (posterior.mean.pow(2) + posterior.var - 1.0 - posterior.logvar).mean()
        return l1 + kl_weight * kl, {"l1": float(l1.detach()), "kl": float(kl.detach())}

    return loss


def crop_batch(samples: list[dict], frames: int, size: int, generator: torch.Generator) -> dict:
    """Stack random (frames, size, size) windows of each clip: the VAE is convolutional, so
    it learns from windows as from whole clips, at a fraction of the cost."""
    videos = []
    for sample in samples:
        video = sample["video"]
        _, T, H, W = video.shape
        if T < frames or H < size or W < size:
            raise SpecError(f"crop: {frames}x{size}x{size} does not fit clips of {T}x{H}x{W}")
        t, y, x = (int(torch.randint(0, n + 1, (1,), generator=generator)) for n in (T - frames, H - size, W - size))
        videos.append(video[:, t : t + frames, y : y + size, x : x + size])
    return {"x": torch.stack(videos)}


def psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    """Peak signal-to-noise ratio of two [-1, 1] tensors, in dB."""
    mse = float(((a - b) / 2).pow(2).mean())
    return 10 * math.log10(1 / max(mse, 1e-12))


@dataclass
class VideoVAERun(ComponentRun):
    steps: int = 3000
    crop_frames: int = 17
    crop_size: int = 64
    decoder_only: bool = False  # sharpen the decoder without moving the latents a transformer learned


def train_video_vae(settings: VideoVAERun, on_progress=None) -> Path:
    """Train (or resume) the built-in video VAE; writes the diffusers model to ``run/model``."""
    if (settings.crop_frames - 1) % 4:
        raise SpecError(f"crop_frames: must be 1 + 4k for the causal 4x temporal VAE, got {settings.crop_frames}")
    clips = WorldClips(settings.data, seed=settings.seed)
    generator = torch.Generator().manual_seed(settings.seed)
    loader = DataLoader(
        clips,
        batch_size=settings.batch_size,
        num_workers=settings.workers,
        collate_fn=partial(crop_batch, frames=settings.crop_frames, size=settings.crop_size, generator=generator),
    )
    probe = torch.stack([s["video"] for s in _first_clips(settings.data, 4)])
    samples_dir = settings.run / "samples"

    def on_sample(model: torch.nn.Module, step: int) -> None:
        with torch.no_grad():
            recon = model.decode(model.encode(probe).latent_dist.mode()).sample.clamp(-1, 1)
        samples_dir.mkdir(parents=True, exist_ok=True)
        rows = [tensor_to_video(v) for pair in zip(probe, recon) for v in pair]
        labels = [f"{kind} {i}" for i in range(len(probe)) for kind in ("clip", f"step {step} PSNR {psnr(probe[i], recon[i]):.1f} dB")]
        contact_sheet(rows, frames_per_clip=6, labels=labels).save(samples_dir / f"step-{step:07d}.png")
        with (settings.run / "samples.jsonl").open("a") as f:
            f.write(json.dumps({"step": step, "psnr": psnr(probe, recon)}) + "\n")

    vae = starting_model(AutoencoderKLLTX2Video, settings.init, new_video_vae)
    if settings.decoder_only:
        if settings.init is None:
            raise SpecError("decoder_only: needs --init, the VAE whose encoder stays as it is")
        vae.encoder.requires_grad_(False)
    vae = train_loop(settings.run, vae, loader,
                     vae_loss(settings.kl_weight, foreground_weight), settings.loop_config(),
                     on_sample=on_sample, on_progress=on_progress)
    set_latent_statistics(vae, probe)
    out = settings.run / "model"
    vae.save_pretrained(out)
    return out


def set_latent_statistics(vae, videos: torch.Tensor) -> None:
    """Store per-channel latent mean and std in the VAE, so the transformer sees unit-scale latents."""
    with torch.no_grad():
        z = vae.encode(videos).latent_dist.mode()
    vae.latents_mean.copy_(z.mean(dim=(0, 2, 3, 4)))
    vae.latents_std.copy_(z.std(dim=(0, 2, 3, 4)))


def _first_clips(root: Path, n: int) -> list[dict]:
    out = []
    for sample in iter_dataset(root, partial=True):
        out.append({"video": video_to_tensor(sample.decode().frames)})
        if len(out) == n:
            return out
    return out
