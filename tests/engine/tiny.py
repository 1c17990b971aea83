"""A tiny random-initialised Vidora checkpoint (same classes and layout as the shipped one)."""

from pathlib import Path

import torch
from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video, LTX2VideoTransformer3DModel
from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

from vidora.engine import builtin
from vidora.training.checkpoint import assemble_checkpoint

FRAMES, SIZE, FPS = 9, (32, 32), 16


def tiny_checkpoint(out: Path) -> Path:
    torch.manual_seed(0)
    parts = {
        "vae": AutoencoderKLLTX2Video(**{**builtin.VIDEO_VAE_CONFIG, "block_out_channels": (8, 16, 32),
                                         "decoder_block_out_channels": (8, 16, 32)}),
        "audio_vae": AutoencoderKLLTX2Audio(**{**builtin.AUDIO_VAE_CONFIG, "base_channels": 8}),
        "vocoder": LTX2Vocoder(**{**builtin.VOCODER_CONFIG, "hidden_channels": 32}),
        "transformer": LTX2VideoTransformer3DModel(**{**builtin.TRANSFORMER_CONFIG, "num_layers": 1,
                                                      "num_attention_heads": 1, "cross_attention_dim": 64}),
    }
    norm = {"video_mean": [0.0] * 16, "video_std": [1.0] * 16, "audio_mean": [0.0] * 8, "audio_std": [1.0] * 8}
    return assemble_checkpoint(out, parts, norm, fps=FPS, frames=FRAMES, size=SIZE)
