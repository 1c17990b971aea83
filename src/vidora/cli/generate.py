"""`vidora generate`: every generation task from the command line."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console

from vidora.cli.progress import progress_bar
from vidora.errors import SpecError

console = Console(stderr=True)


def _size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SpecError(f"size: expected WIDTHxHEIGHT such as 128x128, got {text!r}") from None
    return width, height


def generate(
    prompt: str = typer.Argument("", help="What the video shows (optional with --storyboard)."),
    out: Path = typer.Option(..., "--out", "-o", help="MP4 file to write (H.264 + AAC)."),
    model: str = typer.Option("builtin", help="'builtin' or a local checkpoint directory (Vidora or diffusers Wan)."),
    image: Path | None = typer.Option(None, help="Image-to-video: this image is the first frame."),
    extend: Path | None = typer.Option(None, help="Extend this MP4 (see --direction, --seconds)."),
    direction: str = typer.Option("forward", help="With --extend: forward (after its end) or backward (before its start)."),
    interpolate: tuple[Path, Path] | None = typer.Option(None, help="Fill the frames between two images: --interpolate A B."),
    loop: bool = typer.Option(False, "--loop", help="Make a seamless loop."),
    remix: Path | None = typer.Option(None, help="Re-render this MP4 with the prompt (see --strength)."),
    strength: float = typer.Option(0.6, help="With --remix: how much to change (0 keeps the video, 1 ignores it)."),
    storyboard: Path | None = typer.Option(None, help='JSON list of shots [{"prompt": ..., "seconds": ...}].'),
    character: Path | None = typer.Option(None, help="Reference PNG of a character (or any element) to put in the scene."),
    style: str | None = typer.Option(None, help="Art style: flat, cartoon, pixel, watercolor."),
    speed: str | None = typer.Option(None, help="Motion speed: slow, normal, fast."),
    seconds: float | None = typer.Option(None, help="Length (or, with --extend, how much to add); long videos are extended in chunks."),
    fps: int | None = typer.Option(None, help="Frames per second (the model's own by default)."),
    size: str | None = typer.Option(None, help="WIDTHxHEIGHT (the model's own by default)."),
    seed: int = typer.Option(0, help="Random seed: same inputs and seed, same video."),
    steps: int | None = typer.Option(None, help="Denoising steps (the model's default if not given)."),
    guidance: float | None = typer.Option(None, help="Classifier-free guidance scale."),
    handle: str = typer.Option("", help="Creator's handle shown in the moving visible mark (e.g. ada)."),
    visible_mark: bool | None = typer.Option(None, "--visible-mark/--no-visible-mark",
                                             help="Draw the moving 'Vidora @handle' mark [default: VIDORA_VISIBLE_WATERMARK, on]."),
) -> None:
    """Generate a video with synchronized sound, watermarked, fingerprinted and signed (C2PA)."""
    from vidora.engine import VideoPipeline
    from vidora.provenance import ProvenanceSettings, model_name, new_video_id, stamp

    if direction not in ("forward", "backward"):
        raise SpecError(f"direction: must be forward or backward, got {direction!r}")
    if remix is not None and extend is not None:
        raise SpecError("conflicting inputs: --extend and --remix cannot be combined")
    if out.suffix.lower() != ".mp4":
        raise SpecError(f"out: must end in .mp4, got {out.name}")
    settings = ProvenanceSettings.from_env()  # bad settings fail before any work
    started = time.time()
    pipe = VideoPipeline.from_pretrained(model)
    bar = progress_bar()
    task = bar.add_task("denoising", total=None, rate="")
    chunks = {"n": 0}

    def on_step(step: int, total: int) -> None:
        if step == 1:  # the bar appears once the request has been checked and work begins
            if chunks["n"] == 0:
                bar.start()
            chunks["n"] += 1
            bar.update(task, total=total, completed=0, rate=f"chunk {chunks['n']}")
        bar.update(task, completed=step)

    try:
        result = pipe(
            prompt=prompt,
            image=image,
            video=extend or remix,
            extend=direction if extend is not None else None,
            strength=strength if remix is not None else None,
            keyframes=list(interpolate) if interpolate else None,
            loop=loop,
            storyboard=storyboard,
            reference=character,
            style=style,
            speed=speed,
            seconds=seconds,
            fps=fps,
            size=_size(size),
            seed=seed,
            steps=steps,
            guidance=guidance,
            callback=on_step,
        )
    finally:
        bar.stop()
    stamped = stamp(result, out, video_id=new_video_id(), handle=handle, model=model_name(model),
                    parents=[p for p in (extend, remix) if p is not None], settings=settings, visible_mark=visible_mark)
    console.print(
        f"wrote {out} ({len(result.frames)} frames, {result.seconds:.2f} s, task {result.task}) in {time.time() - started:.1f} s; "
        f"{stamped.video_id}, {f'watermark payload {stamped.payload.hex}' if stamped.watermarked else 'too small for the invisible watermark'}, "
        "C2PA-signed"
    )
