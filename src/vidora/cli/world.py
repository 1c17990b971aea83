"""``vidora world``: make datasets, look at the world, export characters."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import typer
from rich.console import Console

from vidora.cli.progress import progress_bar
from vidora.errors import VidoraError
from vidora.media import save_contact_sheet
from vidora.world import vocab
from vidora.world.captions import caption
from vidora.world.characters import by_name, roster, save_reference
from vidora.world.clip import render_clip
from vidora.world.dataset import make_dataset
from vidora.world.sampler import SPLITS, SamplerConfig, SceneSampler

world_app = typer.Typer(help="The procedural Vidora world: datasets, contact sheets, characters.", no_args_is_help=True)
console = Console(stderr=True)


def _sampler_config(size: int, frames: int, fps: int, split: str, background: str | None, style: str | None) -> SamplerConfig:
    for what, value, allowed in (("background", background, vocab.BACKGROUNDS), ("style", style, vocab.STYLES)):
        if value is not None and value not in allowed:
            raise VidoraError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return SamplerConfig(
        frames=frames, fps=fps, width=size, height=size, split=split,
        backgrounds={background: 1.0} if background else None,
        styles={style: 1.0} if style else None,
    )


@world_app.command("make")
def make(
    out: Path = typer.Option(..., help="Directory to write shards and manifest.json into."),
    n: int = typer.Option(20000, help="Number of clips."),
    size: int = typer.Option(128, help="Frame width and height in pixels (even)."),
    frames: int = typer.Option(33, help="Frames per clip."),
    fps: int = typer.Option(16, help="Frames per second."),
    split: str = typer.Option("train", help=f"Which split to draw: {', '.join(SPLITS)}."),
    seed: int = typer.Option(0, help="Seed of clip 0; clip i uses seed+i."),
    shard_size: int = typer.Option(500, help="Clips per shard file."),
    workers: int = typer.Option(0, help="Worker processes (0 = one per CPU core)."),
) -> None:
    """Render a sharded dataset of world clips (MP4 + caption + spec + ground truth)."""
    config = _sampler_config(size, frames, fps, split, None, None)
    start = time.perf_counter()
    with progress_bar() as bar:
        task = bar.add_task("rendering clips", total=n, rate="")

        def advance(count: int) -> None:
            bar.advance(task, count)
            done = bar.tasks[task].completed
            bar.update(task, rate=f"{done / max(time.perf_counter() - start, 1e-9):.1f} clips/s")

        make_dataset(out, n, config, seed=seed, shard_size=shard_size, workers=workers or None, on_progress=advance)
    console.print(f"wrote {n} clips to {out} in {time.perf_counter() - start:.1f} s")


@world_app.command("show")
def show(
    out: Path = typer.Option(Path("world.png"), help="PNG file to write."),
    n: int = typer.Option(8, help="Number of clips (one row each)."),
    size: int = typer.Option(128, help="Frame size in pixels (even)."),
    frames: int = typer.Option(33, help="Frames per clip."),
    fps: int = typer.Option(16, help="Frames per second."),
    columns: int = typer.Option(6, help="Frames shown per clip."),
    seed: int = typer.Option(0, help="Seed of the first clip."),
    split: str = typer.Option("any", help=f"Which split to draw: {', '.join(SPLITS)}."),
    background: str | None = typer.Option(None, help="Only this background."),
    style: str | None = typer.Option(None, help="Only this art style."),
) -> None:
    """Render a contact sheet PNG: one row per sampled clip, labelled with its prompt."""
    if n < 1:
        raise VidoraError(f"--n must be at least 1, got {n}")
    sampler = SceneSampler(_sampler_config(size, frames, fps, split, background, style))
    clips, labels = [], []
    for i in range(n):
        spec = sampler.sample(seed + i)
        clips.append(render_clip(spec).frames)
        labels.append(caption(spec, np.random.default_rng([seed + i, 0xCA7])))
    save_contact_sheet(clips, out, frames_per_clip=columns, labels=labels)
    console.print(f"wrote {out}")


@world_app.command("character")
def character(
    who: str = typer.Argument(..., help="Character name or roster index."),
    out: Path = typer.Option(None, help="PNG to write (default: <name>.png)."),
    size: int = typer.Option(256, help="Image size in pixels."),
) -> None:
    """Export a named character's reference PNG (what cameos and character conditioning use)."""
    found = roster()[int(who)] if who.isdigit() and int(who) < len(roster()) else by_name(who)
    if found is None:
        raise VidoraError(f"no character named {who!r}; try one of {', '.join(c.name for c in roster()[:8])}, ...")
    if size < 16:
        raise VidoraError(f"--size must be at least 16, got {size}")
    path = save_reference(found.index, out or Path(f"{found.name}.png"), size)
    console.print(f"wrote {path} ({found.name}: {found.body} {found.body_colour} body, {found.pattern} {found.accent_colour} pattern)")
