"""``vidora eval``: score a folder of clips against their prompts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from vidora.cli.progress import progress_bar
from vidora.errors import VidoraError
from vidora.eval.evaluate import evaluate_clip, summarise
from vidora.eval.frechet import feature_vector, frechet_world_distance
from vidora.media import read_mp4
from vidora.world.dataset import MANIFEST, iter_dataset
from vidora.world.spec import SceneSpec

console = Console()


def _read_prompts(path: Path, videos: Path) -> list[dict]:
    """JSONL lines {"video": file in --videos, "prompt": text, "spec": optional scene spec}."""
    if not path.is_file():
        raise VidoraError(f"prompts file not found: {path}")
    entries = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise VidoraError(f"{path.name} line {number} is not JSON: {exc.msg}") from None
        if not isinstance(entry, dict) or "video" not in entry or not ("prompt" in entry or "spec" in entry):
            raise VidoraError(f'{path.name} line {number} needs "video" and "prompt" (or "spec")')
        if not (videos / entry["video"]).is_file():
            raise VidoraError(f"{path.name} line {number}: no video {entry['video']!r} in {videos}")
        entry["spec"] = SceneSpec.from_dict(entry["spec"]) if entry.get("spec") else None
        entries.append(entry)
    if not entries:
        raise VidoraError(f"no prompts in {path}")
    return entries


def _reference_features(reference: Path) -> np.ndarray:
    """FWD features of real clips: a Vidora dataset directory or a folder of MP4s."""
    if (reference / MANIFEST).exists():
        clips = (s.decode() for s in iter_dataset(reference))
    elif reference.is_dir():
        clips = (read_mp4(p) for p in sorted(reference.glob("*.mp4")))
    else:
        raise VidoraError(f"reference must be a dataset or a folder of MP4s: {reference}")
    feats = [feature_vector(c.frames, c.audio) for c in clips if c.audio is not None]
    if len(feats) < 2:
        raise VidoraError(f"need at least 2 reference clips with sound in {reference}")
    return np.stack(feats)


def evaluate(
    videos: Path = typer.Option(..., help="Folder holding the clips (MP4 with sound)."),
    prompts: Path = typer.Option(..., help='JSONL: {"video": name, "prompt": text, "spec": optional scene spec} per line.'),
    out: Path = typer.Option(Path("report.json"), help="JSON report to write."),
    reference: Path = typer.Option(None, help="Real clips (dataset dir or MP4 folder) for the Fréchet World Distance."),
) -> None:
    """Score clips against their prompts: faithfulness, consistency, physics, A/V sync, FWD."""
    if not videos.is_dir():
        raise VidoraError(f"--videos is not a folder: {videos}")
    entries = _read_prompts(prompts, videos)
    results, feats = [], []
    with progress_bar() as bar:
        task = bar.add_task("evaluating", total=len(entries), rate="")
        for entry in entries:
            clip = read_mp4(videos / entry["video"])
            results.append(evaluate_clip(clip.frames, clip.audio, entry.get("prompt"), entry["spec"], entry["video"]))
            if clip.audio is not None:
                feats.append(feature_vector(clip.frames, clip.audio))
            bar.advance(task)
    summary = summarise(results)
    report = {"summary": summary, "clips": [{"video": r.name, "prompt": r.prompt, **r.metrics} for r in results]}
    if reference is not None:
        if len(feats) < 2:
            raise VidoraError("the Fréchet World Distance needs at least 2 clips with sound")
        report["frechet_world_distance"] = frechet_world_distance(np.stack(feats), _reference_features(reference))
    table = Table(title=f"{len(results)} clips")
    for column in ("metric", "mean", "median", "clips"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for key, row in summary.items():
        table.add_row(key, f"{row['mean']:.3f}", f"{row['median']:.3f}", str(row["clips"]))
    if "frechet_world_distance" in report:
        table.add_row("frechet_world_distance", f"{report['frechet_world_distance']:.3f}", "", str(len(feats)))
    console.print(table)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(json.dumps(report, indent=2))
    os.replace(tmp, out)
    console.print(f"wrote {out}")
