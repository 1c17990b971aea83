"""The built-in model: a small LTX-2 (joint audio-video) trained from scratch on the Vidora world.

Each component is a stock diffusers class; only the sizes are ours. The
configs below are what `vidora train` builds and what the shipped checkpoint
was trained with.
"""

from __future__ import annotations

from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video, LTX2VideoTransformer3DModel
from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

from vidora.engine.audio import MEL
from vidora.engine.text import TEXT_DIM

# 128x128x33 RGB in [-1, 1] -> 16 x 9 x 16 x 16: 8x in space (a 4x4 patch, then one
# downsampling block), 4x in time (two causal temporal blocks: 33 = 1 + 4 * 8 frames).
VIDEO_VAE_CONFIG: dict = dict(
    in_channels=3,
    out_channels=3,
    latent_channels=16,
    block_out_channels=(32, 64, 128),
    down_block_types=("LTX2VideoDownBlock3D",) * 3,
    decoder_block_out_channels=(32, 64, 128),
    layers_per_block=(1, 1, 1, 1),
    decoder_layers_per_block=(1, 1, 1, 1),
    spatio_temporal_scaling=(True, True, True),
    decoder_spatio_temporal_scaling=(True, True, True),
    decoder_inject_noise=(False, False, False, False),
    downsample_type=("spatial", "temporal", "temporal"),
    upsample_type=("spatial", "temporal", "temporal"),
    upsample_residual=(True, True, True),
    upsample_factor=(2, 2, 2),
    patch_size=4,
    patch_size_t=1,
    spatial_compression_ratio=8,
    temporal_compression_ratio=4,
)


def new_video_vae() -> AutoencoderKLLTX2Video:
    return AutoencoderKLLTX2Video(**VIDEO_VAE_CONFIG)


# Normalised log-mel (1 x frames x 64) -> 8 x frames/4 x 16: LTX-2's audio autoencoder, mono and small.
AUDIO_VAE_CONFIG: dict = dict(
    in_channels=1,
    output_channels=1,
    base_channels=32,
    ch_mult=(1, 2, 4),
    num_res_blocks=1,
    latent_channels=8,
    mel_bins=MEL.mel_bins,
    sample_rate=MEL.sample_rate,
    mel_hop_length=MEL.hop_length,
)

# Normalised log-mel -> 16 kHz waveform: LTX-2's vocoder, 160x upsampling in five stages.
VOCODER_CONFIG: dict = dict(
    in_channels=MEL.mel_bins,
    hidden_channels=128,
    out_channels=1,
    upsample_kernel_sizes=[11, 8, 4, 4, 4],  # kernel - stride even: exactly 160 samples per mel frame
    upsample_factors=[5, 4, 2, 2, 2],
    resnet_kernel_sizes=[3, 7],
    resnet_dilations=[[1, 3], [1, 3]],
    act_fn="leaky_relu",
    final_act_fn="tanh",
    output_sampling_rate=MEL.sample_rate,
)
AUDIO_LATENT_RATE = MEL.sample_rate / MEL.hop_length / 4  # audio latent frames per second (4x in time)


def new_audio_vae() -> AutoencoderKLLTX2Audio:
    return AutoencoderKLLTX2Audio(**AUDIO_VAE_CONFIG)


def new_vocoder() -> LTX2Vocoder:
    return LTX2Vocoder(**VOCODER_CONFIG)


# The joint audio-video transformer over packed latents (see vidora.engine.denoiser): 4x4 latent
# cells per token (9 x 4 x 4 = 144 video tokens for 33 frames at 128 px; 52 audio tokens for 2 s),
# 6 blocks of 256-wide video and 128-wide audio attention, MiniLM token states as the prompt. Sized for
# the compute of a 2-core CPU: 11 M parameters train ~2.5x more steps per hour than the 27 M of 8 x 384.
PATCH = 4
_LATENT, _AUDIO_LATENT, _AUDIO_BINS = VIDEO_VAE_CONFIG["latent_channels"], AUDIO_VAE_CONFIG["latent_channels"], MEL.mel_bins // 4
TRANSFORMER_CONFIG: dict = dict(
    in_channels=(2 * _LATENT + 1) * PATCH * PATCH,  # noisy, given, given-mask
    out_channels=_LATENT * PATCH * PATCH,
    patch_size=PATCH,
    patch_size_t=1,
    num_attention_heads=4,
    attention_head_dim=64,
    cross_attention_dim=256,
    vae_scale_factors=(4, 8, 8),
    base_height=128,
    base_width=128,
    audio_in_channels=(2 * _AUDIO_LATENT + 1) * _AUDIO_BINS,
    audio_out_channels=_AUDIO_LATENT * _AUDIO_BINS,
    audio_num_attention_heads=2,
    audio_attention_head_dim=64,
    audio_cross_attention_dim=128,
    audio_sampling_rate=MEL.sample_rate,
    audio_hop_length=MEL.hop_length,
    audio_scale_factor=4,
    num_layers=6,
    caption_channels=TEXT_DIM,
    rope_double_precision=False,
)


def new_transformer() -> LTX2VideoTransformer3DModel:
    return LTX2VideoTransformer3DModel(**TRANSFORMER_CONFIG)
