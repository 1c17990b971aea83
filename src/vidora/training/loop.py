"""One resumable training loop on accelerate, shared by every Vidora trainer.

The same code runs on one CPU here and on many GPUs elsewhere (launch it with
`accelerate launch`). A run directory holds:

    checkpoints/step-000500/   accelerate state (model, optimiser, RNG) + progress.json
    log.jsonl                  one line of losses every ``log_every`` steps
    samples/                   whatever the trainer's ``on_sample`` writes

Starting the same command again resumes from the newest checkpoint.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from accelerate import Accelerator
from accelerate.utils import set_seed

from vidora.errors import SpecError

CHECKPOINTS_KEPT = 2


@dataclass
class LoopConfig:
    steps: int
    lr: float = 2e-4
    warmup: int = 200
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    checkpoint_every: int = 250
    sample_every: int = 1000
    log_every: int = 10
    seed: int = 0

    def validate(self) -> None:
        for name in ("steps", "checkpoint_every", "sample_every", "log_every"):
            if getattr(self, name) < 1:
                raise SpecError(f"{name}: must be at least 1, got {getattr(self, name)}")
        if not self.lr > 0:
            raise SpecError(f"lr: must be positive, got {self.lr}")


@dataclass
class ComponentRun:
    """Settings every component trainer (VAEs, vocoder) shares."""

    data: Path  # world dataset directory
    run: Path  # run directory: checkpoints, log.jsonl, samples, model/
    steps: int = 2000
    batch_size: int = 8
    lr: float = 3e-4
    kl_weight: float = 1e-6  # VAEs only
    workers: int = 1
    checkpoint_every: int = 250
    sample_every: int = 500
    seed: int = 0
    init: Path | None = None  # saved weights to continue from (a run's own checkpoints still come first)

    def loop_config(self) -> LoopConfig:
        return LoopConfig(steps=self.steps, lr=self.lr, warmup=100, checkpoint_every=self.checkpoint_every,
                          sample_every=self.sample_every, seed=self.seed)


def starting_model(model_class, init: Path | None, new: Callable[[], torch.nn.Module]) -> torch.nn.Module:
    """A new model, or one continuing from weights saved by ``save_pretrained`` (e.g. a shipped
    checkpoint's part, which is float16 on disk), as float32 for training."""
    if init is None:
        return new()
    if not (Path(init) / "config.json").is_file():
        raise SpecError(f"init: {init} holds no saved model (config.json missing)")
    return model_class.from_pretrained(init, dtype=torch.float32)


def latest_checkpoint(run: Path) -> Path | None:
    done = sorted(p for p in (run / "checkpoints").glob("step-*") if (p / "progress.json").exists())
    return done[-1] if done else None


def train_loop(
    run: str | Path,
    model: torch.nn.Module,
    batches: Iterable[dict],
    loss_fn: Callable[[torch.nn.Module, dict], tuple[torch.Tensor, dict[str, float]]],
    config: LoopConfig,
    on_sample: Callable[[torch.nn.Module, int], None] | None = None,
    on_progress: Callable[[int, dict[str, float]], None] | None = None,
    accelerator: Accelerator | None = None,
) -> torch.nn.Module:
    """Optimise ``model`` for ``config.steps`` steps of ``loss_fn(model, batch)``; returns the unwrapped model.

    ``batches`` is an endless iterable (e.g. a DataLoader over WorldClips).
    Checkpoints are written every ``checkpoint_every`` steps and at the end;
    a checkpoint directory only counts once its progress.json is written.
    """
    config.validate()
    run = Path(run)
    run.mkdir(parents=True, exist_ok=True)
    accelerator = accelerator or Accelerator()
    set_seed(config.seed)
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=config.lr, weight_decay=config.weight_decay
    )
    warmup = max(1, config.warmup)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / config.steps))),
    )
    model, optimizer, schedule = accelerator.prepare(model, optimizer, schedule)
    step = 0
    resume = latest_checkpoint(run)
    if resume is not None:
        accelerator.load_state(str(resume))
        step = json.loads((resume / "progress.json").read_text())["step"]
        set_seed(config.seed + step)  # a resumed run draws new batches, not the first ones again
    log = (run / "log.jsonl").open("a")
    stream = iter(batches)
    model.train()
    started, running = time.time(), {}
    while step < config.steps:
        batch = next(stream)
        with accelerator.accumulate(model):
            loss, logs = loss_fn(model, batch)
            accelerator.backward(loss)
            if accelerator.sync_gradients and config.grad_clip:
                accelerator.clip_grad_norm_(model.parameters(), config.grad_clip)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
        step += 1
        for k, v in {"loss": float(loss.detach()), **logs}.items():
            running[k] = running.get(k, 0.0) + v
        if step % config.log_every == 0 or step == config.steps:
            n = config.log_every if step % config.log_every == 0 else step % config.log_every
            entry = {"step": step, **{k: v / n for k, v in running.items()}, "lr": schedule.get_last_lr()[0],
                     "seconds": round(time.time() - started, 1)}
            running = {}
            if accelerator.is_main_process:
                log.write(json.dumps(entry) + "\n")
                log.flush()
            if on_progress:
                on_progress(step, entry)
        elif on_progress:
            on_progress(step, {})
        if step % config.checkpoint_every == 0 or step == config.steps:
            _checkpoint(accelerator, run, step, config)
        if on_sample and accelerator.is_main_process and (step % config.sample_every == 0 or step == config.steps):
            model.eval()
            on_sample(accelerator.unwrap_model(model), step)
            model.train()
    log.close()
    return accelerator.unwrap_model(model)


def _checkpoint(accelerator: Accelerator, run: Path, step: int, config: LoopConfig) -> None:
    target = run / "checkpoints" / f"step-{step:07d}"
    accelerator.save_state(str(target))
    if accelerator.is_main_process:
        (target / "progress.json").write_text(json.dumps({"step": step, "config": asdict(config)}))
        done = sorted((run / "checkpoints").glob("step-*"))
        for old in done[:-CHECKPOINTS_KEPT]:
            shutil.rmtree(old)
