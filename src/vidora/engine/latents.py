"""Latent grids <-> the token sequences the LTX-2 transformer reads, and conditioning masks.

Video latents (B, C, F, H, W) become (B, F * H/p * W/p, C * p * p) tokens,
in LTX-2's order; audio latents (B, C, L, M) become (B, L, C * M). A
conditioned cell carries its clean latent and a 1 in the mask channels,
so one model serves every task (Open-Sora's masking, Wan's channel concat).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


def pack_video(latents: torch.Tensor, patch: int) -> torch.Tensor:
    B, C, F, H, W = latents.shape
    x = latents.reshape(B, C, F, H // patch, patch, W // patch, patch)
    return x.permute(0, 2, 3, 5, 1, 4, 6).reshape(B, F * (H // patch) * (W // patch), C * patch * patch)


def unpack_video(tokens: torch.Tensor, frames: int, height: int, width: int, patch: int) -> torch.Tensor:
    B, _, D = tokens.shape
    C = D // (patch * patch)
    x = tokens.reshape(B, frames, height // patch, width // patch, C, patch, patch)
    return x.permute(0, 4, 1, 2, 5, 3, 6).reshape(B, C, frames, height, width)


def pack_audio(latents: torch.Tensor) -> torch.Tensor:
    B, C, L, M = latents.shape
    return latents.permute(0, 2, 1, 3).reshape(B, L, C * M)


def unpack_audio(tokens: torch.Tensor, channels: int) -> torch.Tensor:
    B, L, D = tokens.shape
    return tokens.reshape(B, L, channels, D // channels).permute(0, 2, 1, 3)


@dataclass
class Conditioning:
    """What is given, per latent cell: clean latents where the masks are 1.

    video_mask (B, 1, F, H, W) and audio_mask (B, 1, L, 1) in {0, 1};
    video/audio hold the clean normalised latents (anything where the mask is 0).
    reference: optional (B, C, 1, H, W) latent of a reference image (a character)
    shown to the model as extra tokens beside the clip; reference_mask (B,) says
    which batch entries have one (the others' reference is ignored).
    """

    video: torch.Tensor
    video_mask: torch.Tensor
    audio: torch.Tensor
    audio_mask: torch.Tensor
    reference: torch.Tensor | None = None
    reference_mask: torch.Tensor | None = None

    def given_noised(self, video: torch.Tensor, audio: torch.Tensor, noise_video: torch.Tensor,
                     noise_audio: torch.Tensor, sigma: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Put the given latents, noised to ``sigma`` as in training, into the given cells of (video, audio)."""
        s_v, s_a = sigma.view(-1, 1, 1, 1, 1), sigma.view(-1, 1, 1, 1)
        v = torch.where(self.video_mask > 0, (1 - s_v) * self.video + s_v * noise_video, video)
        a = torch.where(self.audio_mask > 0, (1 - s_a) * self.audio + s_a * noise_audio, audio)
        return v, a

    def paste(self, video: torch.Tensor, audio: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The given latents, exactly, where given; (video, audio) elsewhere."""
        return (torch.where(self.video_mask > 0, self.video, video), torch.where(self.audio_mask > 0, self.audio, audio))

    @classmethod
    def nothing(cls, video_shape: tuple, audio_shape: tuple, reference: torch.Tensor | None = None) -> Conditioning:
        B, C, F, H, W = video_shape
        _, Ca, L, M = audio_shape
        return cls(
            video=torch.zeros(video_shape), video_mask=torch.zeros(B, 1, F, H, W),
            audio=torch.zeros(audio_shape), audio_mask=torch.zeros(B, 1, L, 1), reference=reference,
            reference_mask=None if reference is None else torch.ones(B),
        )


def audio_frames_of(video_frames: torch.Tensor, audio_length: int, fps: float, audio_rate: float) -> torch.Tensor:
    """Audio-latent-frame mask (L,) covering the time of the given video latent frames (F,) mask.

    Video latent frame 0 is pixel frame 0; frame i > 0 holds pixel frames 4i-3 .. 4i.
    Audio latent frame j covers [j, j+1) / audio_rate seconds.
    """
    out = torch.zeros(audio_length)
    for i in torch.nonzero(video_frames > 0).flatten().tolist():
        first, last = (0, 0) if i == 0 else (4 * i - 3, 4 * i)
        start, end = first / fps, (last + 1) / fps
        out[int(start * audio_rate) : int(torch.ceil(torch.tensor(end * audio_rate)))] = 1.0
    return out
