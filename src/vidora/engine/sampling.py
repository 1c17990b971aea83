"""Flow-matching sampling of joint video+audio latents with classifier-free guidance.

Sigmas come from diffusers' FlowMatchEulerDiscreteScheduler; video and audio
each step with their own scheduler instance (the scheduler keeps a step
index per sample tensor). Given cells are held at the noise level of the
step, as in training, and pasted back exactly at the end.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from diffusers import FlowMatchEulerDiscreteScheduler

from vidora.engine.latents import Conditioning

DEFAULT_SHIFT = 3.0


def new_scheduler(shift: float = DEFAULT_SHIFT) -> FlowMatchEulerDiscreteScheduler:
    return FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=shift)


@torch.no_grad()
def sample(
    denoiser: torch.nn.Module,
    given: Conditioning,
    text: tuple[torch.Tensor, torch.Tensor],
    empty_text: tuple[torch.Tensor, torch.Tensor] | None,
    video_shape: tuple,
    audio_shape: tuple,
    fps: float,
    steps: int,
    guidance: float,
    generator: torch.Generator,
    start: tuple[torch.Tensor, torch.Tensor, float] | None = None,
    scheduler_config: dict | None = None,
    callback: Callable[[int, int], None] | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Denoise from pure noise (or from ``start`` = (video, audio, strength): SDEdit) to latents.

    ``text`` and ``empty_text`` are (states, mask) for the prompt and for the
    unconditional branch (skipped when guidance is 1 or ``empty_text`` is None).
    """
    schedulers = [
        FlowMatchEulerDiscreteScheduler.from_config(scheduler_config) if scheduler_config else new_scheduler()
        for _ in range(2)
    ]
    for s in schedulers:
        s.set_timesteps(steps)
    sigmas = schedulers[0].sigmas
    first = 0
    noise_v = torch.randn(video_shape, generator=generator)
    noise_a = torch.randn(audio_shape, generator=generator)
    video, audio = noise_v.clone(), noise_a.clone()
    if start is not None:
        start_video, start_audio, strength = start
        # SDEdit: begin at the first step whose noise level is at most `strength`.
        first = int(torch.searchsorted(-sigmas[:-1], torch.tensor(-strength)).clamp(max=steps - 1))
        for s in schedulers:
            s.set_begin_index(first)
        sig = sigmas[first]
        video = (1 - sig) * start_video + sig * noise_v
        audio = (1 - sig) * start_audio + sig * noise_a
    B = video_shape[0]
    guided = empty_text is not None and guidance != 1.0
    for i in range(first, steps):
        sigma = sigmas[i]
        video, audio = given.given_noised(video, audio, noise_v, noise_a, sigma.expand(B))
        v_pred, a_pred = denoiser(video, audio, given, *text, sigma.expand(B), fps)
        if guided:
            v_unc, a_unc = denoiser(video, audio, given, *empty_text, sigma.expand(B), fps)
            v_pred = v_unc + guidance * (v_pred - v_unc)
            a_pred = a_unc + guidance * (a_pred - a_unc)
        t = schedulers[0].timesteps[i]
        video = schedulers[0].step(v_pred, t, video).prev_sample
        audio = schedulers[1].step(a_pred, t, audio).prev_sample
        if callback:
            callback(i - first + 1, steps - first)
    return given.paste(video, audio)
