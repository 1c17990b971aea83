"""Pixels and sound <-> the normalised latents the built-in transformer works on."""

from __future__ import annotations

import numpy as np
import torch

from vidora.engine.audio import model_mel


def video_to_tensor(frames: np.ndarray) -> torch.Tensor:
    """(T, H, W, 3) uint8 -> (3, T, H, W) float in [-1, 1]."""
    return torch.from_numpy(np.ascontiguousarray(frames)).permute(3, 0, 1, 2).float().div(127.5).sub(1.0)


def tensor_to_video(video: torch.Tensor) -> np.ndarray:
    """(3, T, H, W) float in [-1, 1] -> (T, H, W, 3) uint8."""
    return video.clamp(-1, 1).add(1).mul(127.5).round().byte().permute(1, 2, 3, 0).cpu().numpy()


def mel_for_vae(audio: torch.Tensor) -> torch.Tensor:
    """(B, samples) -> (B, 1, 1 + 4k, 64) normalised mel, trimmed to what the causal 4x audio VAE takes."""
    mel = model_mel(audio)
    return mel[:, :, : 1 + 4 * ((mel.shape[2] - 1) // 4)]


class LatentEncoder:
    """Video and audio VAE encoders with the normalisation the transformer expects."""

    def __init__(self, video_vae, audio_vae, stats: dict | None = None):
        self.video_vae, self.audio_vae = video_vae.eval(), audio_vae.eval()
        self.stats = stats

    @torch.no_grad()
    def raw(self, video: torch.Tensor, audio: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.video_vae.encode(video).latent_dist.mode(), self.audio_vae.encode(mel_for_vae(audio)).latent_dist.mode()

    def fit(self, video: torch.Tensor, audio: torch.Tensor) -> dict:
        v, a = self.raw(video, audio)
        self.stats = {
            "video_mean": v.mean(dim=(0, 2, 3, 4)).tolist(), "video_std": v.std(dim=(0, 2, 3, 4)).tolist(),
            "audio_mean": a.mean(dim=(0, 2, 3)).tolist(), "audio_std": a.std(dim=(0, 2, 3)).tolist(),
        }
        return self.stats

    def _scales(self, v: torch.Tensor, a: torch.Tensor):
        s = {k: torch.tensor(x) for k, x in self.stats.items()}
        view_v, view_a = (1, -1) + (1,) * (v.ndim - 2), (1, -1) + (1,) * (a.ndim - 2)
        return (s["video_mean"].view(view_v), s["video_std"].view(view_v), s["audio_mean"].view(view_a), s["audio_std"].view(view_a))

    def normalise(self, v: torch.Tensor, a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        vm, vs, am, as_ = self._scales(v, a)
        return (v - vm) / vs, (a - am) / as_

    def denormalise(self, v: torch.Tensor, a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        vm, vs, am, as_ = self._scales(v, a)
        return v * vs + vm, a * as_ + am

    def __call__(self, video: torch.Tensor, audio: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.normalise(*self.raw(video, audio))
