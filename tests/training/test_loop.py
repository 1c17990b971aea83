import itertools
import json

import pytest
import torch

from vidora.errors import SpecError
from vidora.training.loop import LoopConfig, latest_checkpoint, train_loop


def regression_batches():
    g = torch.Generator().manual_seed(0)
    w = torch.tensor([[2.0, -1.0, 0.5]])
    while True:
        x = torch.randn(16, 3, generator=g)
        yield {"x": x, "y": x @ w.T}


def mse(model, batch):
    error = torch.nn.functional.mse_loss(model(batch["x"]), batch["y"])
    return error, {"mse": float(error.detach())}


def test_learns_logs_and_resumes(tmp_path):
    torch.manual_seed(0)
    config = LoopConfig(steps=60, lr=0.2, warmup=1, checkpoint_every=20, log_every=10)
    seen = []
    train_loop(tmp_path, torch.nn.Linear(3, 1), regression_batches(), mse, LoopConfig(**{**config.__dict__, "steps": 30}),
               on_sample=lambda m, s: seen.append(s))
    assert latest_checkpoint(tmp_path).name == "step-0000030"
    # A new process starting the same run goes on from step 30, not from scratch.
    model = train_loop(tmp_path, torch.nn.Linear(3, 1), regression_batches(), mse, config)
    steps = [json.loads(line)["step"] for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert steps == [10, 20, 30, 40, 50, 60]
    losses = [json.loads(line)["mse"] for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert losses[-1] < 0.05 * losses[0]
    assert torch.allclose(model.weight, torch.tensor([[2.0, -1.0, 0.5]]), atol=0.1)
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == ["step-0000040", "step-0000060"]
    assert seen == [30]


def test_bad_settings_are_named():
    with pytest.raises(SpecError, match="steps"):
        train_loop("unused", torch.nn.Linear(1, 1), itertools.repeat({}), mse, LoopConfig(steps=0))


def test_a_model_continues_from_saved_weights_in_float32(tmp_path):
    from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

    from vidora.engine.builtin import VOCODER_CONFIG
    from vidora.training.loop import starting_model

    saved = LTX2Vocoder(**{**VOCODER_CONFIG, "hidden_channels": 16})
    torch.nn.Module.to(saved, torch.float16).save_pretrained(tmp_path / "vocoder")  # as a shipped checkpoint stores it
    loaded = starting_model(LTX2Vocoder, tmp_path / "vocoder", new=lambda: pytest.fail("must not start anew"))
    first = next(loaded.parameters())
    assert first.dtype == torch.float32 and torch.equal(first.half(), next(saved.parameters()))
    assert isinstance(starting_model(LTX2Vocoder, None, new=lambda: torch.nn.Linear(1, 1)), torch.nn.Linear)
    with pytest.raises(SpecError, match="init: .* holds no saved model"):
        starting_model(LTX2Vocoder, tmp_path / "nothing", new=torch.nn.Identity)
