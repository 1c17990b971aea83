"""`vidora train ...`: train the built-in model's parts on a world dataset (resumable)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from vidora.cli.progress import progress_bar

train_app = typer.Typer(help="Train the built-in model's parts on a world dataset; rerun to resume.", no_args_is_help=True)
console = Console(stderr=True)


def _progress(total: int, description: str):
    bar = progress_bar()
    task = bar.add_task(description, total=total, rate="")

    def update(step: int, logs: dict) -> None:
        fields = {"rate": "  ".join(f"{k} {v:.4g}" for k, v in logs.items() if k in ("loss", "l1", "psnr"))} if logs else {}
        bar.update(task, completed=step, **fields)

    return bar, update


@train_app.command("video-vae")
def video_vae(
    data: Path = typer.Option(..., help="World dataset directory (from `vidora world make`)."),
    run: Path = typer.Option(..., help="Run directory: checkpoints, log.jsonl, samples/, model/."),
    steps: int = typer.Option(3000, help="Optimiser steps in all (a resumed run continues to this number)."),
    batch_size: int = typer.Option(8, help="Clips per step."),
    crop_frames: int = typer.Option(17, help="Frames per training window (1 + 4k)."),
    crop_size: int = typer.Option(64, help="Width and height of training windows, pixels."),
    lr: float = typer.Option(3e-4, help="Peak learning rate."),
    workers: int = typer.Option(1, help="Data-loading processes."),
) -> None:
    """Train the video VAE (LTX-2 video autoencoder, 8x space, 4x time)."""
    from vidora.training.autoencoders import VideoVAERun, train_video_vae

    bar, update = _progress(steps, "video VAE")
    with bar:
        out = train_video_vae(
            VideoVAERun(data=data, run=run, steps=steps, batch_size=batch_size, crop_frames=crop_frames,
                        crop_size=crop_size, lr=lr, workers=workers),
            on_progress=update,
        )
    console.print(f"wrote {out}")
