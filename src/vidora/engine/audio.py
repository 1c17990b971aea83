"""Waveform <-> log-mel spectrogram, the representation the audio VAE encodes.

The built-in model hears mono 16 kHz audio as 64 log-mel bins every 10 ms
(hop 160, as LTX-2's audio VAE expects); its vocoder turns decoded mels back
into a waveform.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import torch


@dataclass(frozen=True)
class MelConfig:
    sample_rate: int = 16_000
    n_fft: int = 1024
    hop_length: int = 160
    mel_bins: int = 64
    f_min: float = 0.0
    f_max: float = 8_000.0
    log_floor: float = 1e-5
    # Models see (log-mel + offset) / scale: world audio has log-mel mean -5.0, std 2.2 (60 clips).
    offset: float = 5.0
    scale: float = 2.5

    def frames(self, samples: int) -> int:
        """Mel frames for ``samples`` of audio (centred STFT)."""
        return samples // self.hop_length + 1


MEL = MelConfig()


@lru_cache(maxsize=4)
def _filters(config: MelConfig) -> torch.Tensor:
    from transformers.audio_utils import mel_filter_bank

    bank = mel_filter_bank(
        num_frequency_bins=config.n_fft // 2 + 1,
        num_mel_filters=config.mel_bins,
        min_frequency=config.f_min,
        max_frequency=config.f_max,
        sampling_rate=config.sample_rate,
        norm="slaney",
        mel_scale="slaney",
    )
    return torch.from_numpy(bank).float()  # (freq, mel)


def log_mel(audio: torch.Tensor, config: MelConfig = MEL) -> torch.Tensor:
    """(B, samples) float waveform -> (B, frames, mel_bins) natural-log mel magnitudes."""
    window = torch.hann_window(config.n_fft, device=audio.device)
    spec = torch.stft(audio, config.n_fft, config.hop_length, window=window, center=True, return_complex=True)
    mel = spec.abs().transpose(1, 2) @ _filters(config).to(audio.device)
    return mel.clamp_min(config.log_floor).log()


def model_mel(audio: torch.Tensor, config: MelConfig = MEL) -> torch.Tensor:
    """(B, samples) -> (B, 1, frames, mel_bins): the normalised log-mel the audio VAE and vocoder work on."""
    return ((log_mel(audio, config) + config.offset) / config.scale).unsqueeze(1)
