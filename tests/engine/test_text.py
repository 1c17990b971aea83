import pytest
import torch

from vidora.engine.text import MAX_TEXT_TOKENS, default_text_encoder
from vidora.errors import SpecError


def test_a_prompt_reads_the_same_alone_or_beside_a_longer_one():
    encode = default_text_encoder()
    short, long = "a red ball", "two small blue stars fall onto the sand while a big green box rolls to the left"
    alone, alone_mask = encode([short])
    both, both_mask = encode([short, long])
    n = int(alone_mask.sum())
    assert alone.shape[1] == n < both.shape[1] <= MAX_TEXT_TOKENS  # padded to the longest prompt only
    assert int(both_mask[0].sum()) == n
    torch.testing.assert_close(both[0, :n], alone[0], atol=1e-5, rtol=1e-4)


def test_a_prompt_over_the_limit_is_refused_by_name():
    with pytest.raises(SpecError, match="prompt: .* tokens long"):
        default_text_encoder()(["ball " * (MAX_TEXT_TOKENS + 5)])
