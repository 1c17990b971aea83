"""Training the built-in model's sound path: the audio VAE (on log-mels) and the vocoder (mel -> waveform).

Both learn from random windows of world audio; both are convolutional, so
windows teach them what whole clips would, for less.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import torch
import torch.nn.functional as F
from diffusers import AutoencoderKLLTX2Audio
from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder
from torch.utils.data import DataLoader

from vidora.engine.audio import MEL, model_mel
from vidora.engine.builtin import new_audio_vae, new_vocoder
from vidora.errors import SpecError
from vidora.training.autoencoders import vae_loss
from vidora.training.data import WorldClips
from vidora.training.loop import ComponentRun, starting_model, train_loop
from vidora.world.dataset import iter_dataset

STFT_RESOLUTIONS = ((512, 128), (1024, 256), (256, 64))  # (n_fft, hop) of the multi-resolution STFT loss


@dataclass
class AudioRun(ComponentRun):
    window_frames: int = 101  # mel frames per training window (1 + 4k for the audio VAE): about 1 s


def mel_windows(samples: list[dict], frames: int, generator: torch.Generator) -> dict:
    """Random ``frames``-long windows of each clip's normalised mel, with the waveform they cover."""
    audio = torch.stack([s["audio"] for s in samples])
    mel = model_mel(audio)
    total = mel.shape[2]
    if total < frames:
        raise SpecError(f"window_frames: {frames} mel frames do not fit clips of {total}")
    mels, waves = [], []
    for i in range(len(samples)):
        start = int(torch.randint(0, total - frames + 1, (1,), generator=generator))
        mels.append(mel[i, :, start : start + frames])
        wave = audio[i, start * MEL.hop_length : (start + frames) * MEL.hop_length]
        waves.append(F.pad(wave, (0, frames * MEL.hop_length - wave.numel())))
    return {"x": torch.stack(mels), "wave": torch.stack(waves)}


def _loader(settings: AudioRun) -> DataLoader:
    generator = torch.Generator().manual_seed(settings.seed)
    return DataLoader(
        WorldClips(settings.data, seed=settings.seed),
        batch_size=settings.batch_size,
        num_workers=settings.workers,
        collate_fn=partial(mel_windows, frames=settings.window_frames, generator=generator),
    )


def _probe_audio(root: Path, n: int = 4) -> torch.Tensor:
    out = []
    for sample in iter_dataset(root, partial=True):
        out.append(torch.from_numpy(sample.decode().audio.copy()).float())
        if len(out) == n:
            break
    return torch.stack(out)


def _log_sample(run: Path, entry: dict) -> None:
    with (run / "samples.jsonl").open("a") as f:
        f.write(json.dumps(entry) + "\n")


def train_audio_vae(settings: AudioRun, on_progress=None) -> Path:
    """Train (or resume) the audio VAE; writes the diffusers model to ``run/model``."""
    if (settings.window_frames - 1) % 4:
        raise SpecError(f"window_frames: must be 1 + 4k for the 4x audio VAE, got {settings.window_frames}")
    probe = model_mel(_probe_audio(settings.data))
    probe = probe[:, :, : 1 + 4 * ((probe.shape[2] - 1) // 4)]

    def on_sample(model, step: int) -> None:
        with torch.no_grad():
            recon = model.decode(model.encode(probe).latent_dist.mode()).sample
        _log_sample(settings.run, {"step": step, "mel_l1": float((recon - probe).abs().mean())})

    vae = train_loop(settings.run, starting_model(AutoencoderKLLTX2Audio, settings.init, new_audio_vae), _loader(settings),
                     vae_loss(settings.kl_weight), settings.loop_config(), on_sample=on_sample, on_progress=on_progress)
    out = settings.run / "model"
    vae.save_pretrained(out)
    return out


def stft_loss(fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Multi-resolution STFT loss (spectral convergence + log magnitude), as in Parallel WaveGAN."""
    total = fake.new_zeros(())
    for n_fft, hop in STFT_RESOLUTIONS:
        window = torch.hann_window(n_fft, device=fake.device)
        f = torch.stft(fake, n_fft, hop, window=window, return_complex=True).abs().clamp_min(1e-7)
        r = torch.stft(real, n_fft, hop, window=window, return_complex=True).abs().clamp_min(1e-7)
        total = total + (r - f).norm() / r.norm() + (r.log() - f.log()).abs().mean()
    return total / len(STFT_RESOLUTIONS)


def vocoder_loss(model: torch.nn.Module, batch: dict) -> tuple[torch.Tensor, dict[str, float]]:
    wave = model(batch["x"]).squeeze(1)
    spectral = stft_loss(wave, batch["wave"])
    mel = (model_mel(wave) - model_mel(batch["wave"])).abs().mean()
    return spectral + mel, {"stft": float(spectral.detach()), "mel_l1": float(mel.detach())}


def train_vocoder(settings: AudioRun, on_progress=None) -> Path:
    """Train (or resume) the vocoder on ground-truth mels; writes the diffusers model to ``run/model``."""
    probe = _probe_audio(settings.data)

    def on_sample(model, step: int) -> None:
        with torch.no_grad():
            wave = model(model_mel(probe)).squeeze(1)[:, : probe.shape[1]]
        mel_l1 = float((model_mel(wave) - model_mel(probe)).abs().mean())
        _log_sample(settings.run, {"step": step, "resynthesis_mel_l1": mel_l1})

    vocoder = train_loop(settings.run, starting_model(LTX2Vocoder, settings.init, new_vocoder), _loader(settings), vocoder_loss,
                         settings.loop_config(), on_sample=on_sample, on_progress=on_progress)
    out = settings.run / "model"
    vocoder.save_pretrained(out)
    return out
