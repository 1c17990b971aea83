"""``vidora demo``: render one world clip to an MP4, the quickest look at Vidora."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer
from rich.console import Console

from vidora.media import save_preview, save_thumbnail, write_mp4
from vidora.world import vocab
from vidora.world.captions import caption
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler

console = Console()


def demo(
    out: Path = typer.Option(Path("out/demo.mp4"), help="MP4 file to write (thumbnail and preview go beside it)."),
    seed: int = typer.Option(7, help="Scene seed."),
    size: int = typer.Option(256, help="Frame size in pixels (even)."),
    seconds: float = typer.Option(4.0, help="Clip length in seconds."),
    fps: int = typer.Option(16, help="Frames per second."),
) -> None:
    """Render a world clip with sound and write MP4, thumbnail PNG and animated WebP preview."""
    frames = max(1, round(seconds * fps))
    spec = SceneSampler(SamplerConfig(frames=frames, fps=fps, width=size, height=size, split="any", max_objects=3)).sample(seed)
    clip = render_clip(spec)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_mp4(out, clip.frames, fps, clip.audio, vocab.AUDIO_RATE)
    save_thumbnail(clip.frames, out.with_suffix(".png"))
    save_preview(clip.frames, out.with_suffix(".webp"), fps)
    console.print(f"[bold]prompt:[/bold] {caption(spec, np.random.default_rng(seed))}")
    console.print(f"wrote {out}, {out.with_suffix('.png')} and {out.with_suffix('.webp')}")
