"""Encode a world dataset once with the trained VAEs, so the transformer trains on latents.

    OUT/video.npy     (N, C, F, H, W) float16 video latents, normalised per channel
    OUT/audio.npy     (N, Ca, L, M) float16 audio latents, normalised per channel
    OUT/clips.jsonl   one {"key", "spec"} line per clip, in the same order
    OUT/stats.json    the normalisation (per-channel mean and std of both) and shapes
    OUT/progress.json how many clips are encoded; a rerun goes on from there

Character reference latents are encoded too (OUT/references.npy, one per roster entry).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from vidora.engine.codec import LatentEncoder, video_to_tensor
from vidora.engine.reference import reference_canvas
from vidora.errors import VidoraError
from vidora.world.characters import roster, sprite
from vidora.world.dataset import finished_shards, iter_dataset, read_manifest

STATS_CLIPS = 64  # clips whose latents set the per-channel normalisation


def encode_dataset(data: str | Path, out: str | Path, encoder: LatentEncoder, batch_size: int = 8,
                   on_progress=None) -> Path:
    """Encode every clip of the finished shards of ``data`` into ``out`` (see module doc); resumable."""
    data, out = Path(data), Path(out)
    manifest = read_manifest(data)
    shards = finished_shards(data, manifest)
    if not shards:
        raise VidoraError(f"dataset {data} has no finished shard yet")
    out.mkdir(parents=True, exist_ok=True)
    progress_path = out / "progress.json"
    done = json.loads(progress_path.read_text())["done"] if progress_path.exists() else 0
    n = sum(1 for _ in _keys(data, shards))
    samples = iter_dataset(data, partial=True, shards=shards)
    first = [next(samples) for _ in range(min(STATS_CLIPS, n))]
    clips = [s.decode() for s in first]
    video = torch.stack([video_to_tensor(c.frames) for c in clips])
    audio = torch.stack([torch.from_numpy(c.audio.copy()).float() for c in clips])
    if (out / "stats.json").exists():
        encoder.stats = json.loads((out / "stats.json").read_text())["normalisation"]
    else:
        encoder.fit(video[:STATS_CLIPS], audio[:STATS_CLIPS])
    v0, a0 = encoder(video[:1], audio[:1])
    mode = "r+" if done else "w+"
    video_out = np.lib.format.open_memmap(out / "video.npy", mode, np.float16, (n, *v0.shape[1:]))
    audio_out = np.lib.format.open_memmap(out / "audio.npy", mode, np.float16, (n, *a0.shape[1:]))
    (out / "stats.json").write_text(json.dumps({
        "normalisation": encoder.stats, "clips": n, "video_shape": list(v0.shape[1:]), "audio_shape": list(a0.shape[1:]),
        "fps": manifest["fps"], "frames": manifest["frames"], "size": manifest["size"], "dataset": str(data),
    }, indent=1))
    _encode_references(out, encoder, tuple(manifest["size"]))
    if done:  # drop listing lines written after the last recorded progress
        lines = (out / "clips.jsonl").read_text().splitlines(keepends=True)[:done]
        (out / "clips.jsonl").write_text("".join(lines))
    index = 0
    pending: list = []
    with (out / "clips.jsonl").open("a" if done else "w") as listing:
        for sample in [*first, *samples]:
            if index >= done:
                pending.append(sample)
            index += 1
            if len(pending) == batch_size or (index == n and pending):
                decoded = [s.decode() for s in pending]
                v, a = encoder(torch.stack([video_to_tensor(c.frames) for c in decoded]),
                               torch.stack([torch.from_numpy(c.audio.copy()).float() for c in decoded]))
                start = index - len(pending)
                video_out[start:index], audio_out[start:index] = v.half().numpy(), a.half().numpy()
                video_out.flush(), audio_out.flush()
                for s in pending:
                    listing.write(json.dumps({"key": s.key, "spec": s.spec.to_dict()}) + "\n")
                listing.flush()
                progress_path.write_text(json.dumps({"done": index}))
                pending = []
                if on_progress:
                    on_progress(index, n)
    return out


def _keys(data: Path, shards: list[str]):
    import tarfile

    for name in shards:
        with tarfile.open(data / name) as tar:
            yield from (m.name for m in tar.getmembers() if m.name.endswith(".json"))


def _encode_references(out: Path, encoder: LatentEncoder, size: tuple[int, int]) -> None:
    if (out / "references.npy").exists():
        return
    canvases = [reference_canvas(sprite(c.index), size) for c in roster()]
    video = torch.stack([video_to_tensor(c[None]) for c in canvases])
    with torch.no_grad():
        z = encoder.video_vae.encode(video).latent_dist.mode()
    z, _ = encoder.normalise(z, torch.zeros(1, len(encoder.stats["audio_mean"]), 1, 1))
    np.save(out / "references.npy", z.half().numpy())
