"""The built-in model's velocity predictor: an LTX-2 audio-video transformer over packed latents.

Each video token carries [noisy latent, given latent, given mask] for its
p x p cells; each audio token the same for one audio latent frame. A
reference image (a character) enters as one more latent frame of tokens,
placed after the clip in time, always "given".
"""

from __future__ import annotations

import torch
from diffusers import LTX2VideoTransformer3DModel

from vidora.engine.latents import Conditioning, pack_audio, pack_video, unpack_audio, unpack_video

REFERENCE_GAP_S = 1.0  # a reference sits this long after the clip's end on the RoPE time axis


class Denoiser(torch.nn.Module):
    """Predicts flow-matching velocities (noise - data) for video and audio latents."""

    def __init__(self, transformer: LTX2VideoTransformer3DModel):
        super().__init__()
        self.transformer = transformer
        self.patch = transformer.config.patch_size

    def forward(
        self,
        video: torch.Tensor,
        audio: torch.Tensor,
        given: Conditioning,
        text: torch.Tensor,
        text_mask: torch.Tensor,
        sigma: torch.Tensor,
        fps: float,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        B, C, F, H, W = video.shape
        Ca, M = audio.shape[1], audio.shape[3]
        p = self.patch
        video_in = torch.cat([video, given.video * given.video_mask, given.video_mask], dim=1)
        tokens = pack_video(video_in, p)
        rope = self.transformer.rope
        coords = rope.prepare_video_coords(B, F, H, W, video.device, fps=fps)
        if given.reference is not None:
            ref = given.reference
            present = torch.ones(B) if given.reference_mask is None else given.reference_mask
            present = present.to(ref).view(B, 1, 1, 1, 1).expand_as(ref[:, :1])
            ref_in = torch.cat([torch.zeros_like(ref), ref * present, present], dim=1)
            tokens = torch.cat([tokens, pack_video(ref_in, p)], dim=1)
            ref_coords = rope.prepare_video_coords(B, 1, H, W, video.device, fps=fps)
            ref_coords[:, 0] += coords[:, 0].max() + REFERENCE_GAP_S
            coords = torch.cat([coords, ref_coords], dim=2)
        audio_mask = given.audio_mask.expand(B, 1, audio.shape[2], M)
        audio_tokens = pack_audio(torch.cat([audio, given.audio * audio_mask, audio_mask], dim=1))
        timestep = (sigma * 1000.0).view(B, 1)
        out_video, out_audio = self.transformer(
            hidden_states=tokens,
            audio_hidden_states=audio_tokens,
            encoder_hidden_states=text,
            audio_encoder_hidden_states=text,
            encoder_attention_mask=text_mask,
            audio_encoder_attention_mask=text_mask,
            timestep=timestep,
            audio_timestep=timestep.view(B),
            video_coords=coords,
            audio_num_frames=audio.shape[2],
            fps=fps,
            return_dict=False,
        )
        n = F * (H // p) * (W // p)
        return unpack_video(out_video[:, :n], F, H, W, p), unpack_audio(out_audio, Ca)
