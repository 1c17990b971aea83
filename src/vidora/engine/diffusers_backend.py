"""Real open-weight checkpoints through their own diffusers pipelines.

A Wan 2.x text-to-video checkpoint in diffusers layout (model_index.json
naming ``WanPipeline``: tokenizer, UMT5 text encoder, WanTransformer3DModel,
AutoencoderKLWan, scheduler) runs through ``diffusers.WanPipeline``. It makes
silent video from text only; the conditioning tasks and sound need the
built-in joint audio-video model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from vidora.engine.result import GenerationResult
from vidora.errors import SpecError


@dataclass(frozen=True)
class PipelineFacts:
    """What a diffusers pipeline class makes by default (from its model card) and accepts."""

    fps: int
    size: tuple[int, int]  # (width, height)
    frames: int
    steps: int
    guidance: float
    max_tokens: int
    size_multiple: int  # VAE downscale x transformer patch


# Wan 2.1 T2V: 16 fps, 832x480, 81 frames (5 s), 50 steps, CFG 5, 512 UMT5 tokens.
DIFFUSERS_PIPELINES: dict[str, PipelineFacts] = {
    "WanPipeline": PipelineFacts(fps=16, size=(832, 480), frames=81, steps=50, guidance=5.0, max_tokens=512, size_multiple=16),
}


class DiffusersBackend:
    """A diffusers text-to-video pipeline behind VideoPipeline's request shape."""

    tasks = frozenset({"text"})
    audio_rate = 0  # silent

    def __init__(self, path: Path, kind: str):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local directory; never reach for the hub
        import diffusers
        from transformers.utils import logging as transformers_logging

        diffusers.utils.logging.disable_progress_bar()  # loading bars on stderr say nothing in a CLI or server
        transformers_logging.disable_progress_bar()
        self.kind = kind
        self.facts = DIFFUSERS_PIPELINES[kind]
        try:
            self.pipe = getattr(diffusers, kind).from_pretrained(path, dtype=torch.float32, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise SpecError(f"model: {path} is not a loadable {kind} checkpoint ({exc})") from None
        self.pipe.set_progress_bar_config(disable=True)
        self.fps = self.facts.fps
        self.size = self.facts.size
        self.frames = self.facts.frames
        self.temporal_step = self.pipe.vae_scale_factor_temporal
        self.defaults = {"steps": self.facts.steps, "guidance": self.facts.guidance}

    @property
    def max_seconds(self) -> float:
        return self.frames / self.fps

    def check_size(self, size: tuple[int, int]) -> tuple[int, int]:
        m = self.facts.size_multiple
        width, height = size
        if width % m or height % m or not (m <= width <= 1920 and m <= height <= 1920):
            raise SpecError(f"size: this model makes sizes that are multiples of {m} up to 1920, got {width}x{height}")
        return width, height

    def check_prompt(self, prompt: str) -> None:
        n = len(self.pipe.tokenizer(prompt)["input_ids"])
        if n > self.facts.max_tokens:
            raise SpecError(f"prompt: {n} tokens long, the limit is {self.facts.max_tokens} (shorten it)")

    def frame_count(self, seconds: float | None) -> tuple[int, int]:
        """(frames wanted, frames to generate): the model makes k * temporal_step + 1 frames."""
        wanted = self.frames if seconds is None else max(1, round(seconds * self.fps))
        step = self.temporal_step
        return wanted, -(-(wanted - 1) // step) * step + 1

    def generate(self, request: dict, reference, seed: int, callback=None) -> GenerationResult:
        width, height = request["size"]
        wanted, made = self.frame_count(request["seconds"])
        steps = request["steps"]

        def on_step(pipe, i, t, tensors):
            if callback is not None:
                callback(i + 1, steps)
            return tensors

        out = self.pipe(
            prompt=request["prompt"], height=height, width=width, num_frames=made, num_inference_steps=steps,
            guidance_scale=request["guidance"], generator=torch.Generator().manual_seed(seed), output_type="np",
            callback_on_step_end=on_step, max_sequence_length=self.facts.max_tokens,
        )
        frames = (np.clip(out.frames[0][:wanted], 0, 1) * 255).round().astype(np.uint8)
        return GenerationResult(frames=frames, audio=None, fps=self.fps, audio_rate=self.audio_rate, task="text",
                                prompt=request["prompt"], seed=seed,
                                settings={"steps": steps, "guidance": request["guidance"], "model": self.kind})
