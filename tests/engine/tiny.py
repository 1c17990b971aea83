"""A tiny random-initialised Vidora checkpoint (same classes and layout as the shipped one)."""

import json
from pathlib import Path

import numpy as np
import torch
from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video, LTX2VideoTransformer3DModel
from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

from vidora.engine import builtin
from vidora.engine.options import DEFAULT_GUIDANCE
from vidora.training.checkpoint import assemble_checkpoint

FRAMES, SIZE, FPS = 9, (32, 32), 16


def tiny_checkpoint(out: Path, size: tuple[int, int] = SIZE, guidance: float = DEFAULT_GUIDANCE) -> Path:
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
    return assemble_checkpoint(out, parts, norm, fps=FPS, frames=FRAMES, size=size, guidance=guidance)


def tiny_wan_checkpoint(out: Path) -> Path:
    """A tiny random Wan 2.1 text-to-video checkpoint in diffusers layout, tokenizer included (built offline)."""
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanPipeline, WanTransformer3DModel
    from tokenizers import SentencePieceUnigramTokenizer
    from transformers import T5Tokenizer, UMT5Config, UMT5EncoderModel

    from vidora.world.captions import caption
    from vidora.world.sampler import SceneSampler

    rng, sampler = np.random.default_rng(0), SceneSampler()
    unigram = SentencePieceUnigramTokenizer()
    unigram.train_from_iterator((caption(sampler.sample(seed), rng) for seed in range(200)), vocab_size=300,
                                special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>", show_progress=False)
    vocab = [tuple(entry) for entry in json.loads(unigram.to_str())["model"]["vocab"]]
    tokenizer = T5Tokenizer(vocab=vocab, extra_ids=0)
    torch.manual_seed(0)
    text_encoder = UMT5EncoderModel(UMT5Config(vocab_size=len(tokenizer), d_model=32, d_kv=8, d_ff=32, num_layers=1,
                                               num_heads=4, relative_attention_num_buckets=8))
    transformer = WanTransformer3DModel(patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=16,
                                        out_channels=16, text_dim=32, freq_dim=32, ffn_dim=32, num_layers=1,
                                        cross_attn_norm=True, qk_norm="rms_norm_across_heads", rope_max_seq_len=32)
    vae = AutoencoderKLWan(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True])
    scheduler = UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0)
    WanPipeline(tokenizer=tokenizer, text_encoder=text_encoder, vae=vae, scheduler=scheduler,
                transformer=transformer).save_pretrained(out)
    return out
