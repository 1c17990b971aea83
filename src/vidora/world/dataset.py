"""Sharded world datasets: MP4 (H.264 + AAC) plus JSON (caption, spec, truth).

Layout of a dataset directory::

    manifest.json          what is being made, with which settings; "complete" once done
    shard-00000.tar        clips 0..shard_size-1: <key>.mp4 and <key>.json
    shard-00001.tar        ...

Shards are plain tar files (readable by webdataset-style loaders). Each shard
is written to a temporary name and renamed when complete, so an interrupted
run leaves only whole shards behind and resumes where it stopped.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import queue
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from vidora import __version__
from vidora.errors import VidoraError
from vidora.media import read_mp4, write_mp4
from vidora.world import vocab
from vidora.world.captions import caption
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler, split_of
from vidora.world.spec import SceneSpec

MANIFEST = "manifest.json"


@dataclass
class DatasetSample:
    key: str
    caption: str
    spec: SceneSpec
    truth: dict
    split: str
    mp4: bytes

    def decode(self):
        """Frames and audio of the clip (a vidora.media Clip)."""
        with tempfile.NamedTemporaryFile(suffix=".mp4") as f:
            f.write(self.mp4)
            f.flush()
            return read_mp4(f.name)


def make_clip_record(index: int, seed: int, config: SamplerConfig) -> tuple[str, bytes, bytes]:
    """Render clip ``index`` of a dataset: its key, MP4 bytes and JSON bytes."""
    clip_seed = seed + index
    spec = SceneSampler(config).sample(clip_seed)
    clip = render_clip(spec)
    text = caption(spec, np.random.default_rng([clip_seed, 0xCA7]))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_mp4(Path(tmp) / "clip.mp4", clip.frames, spec.fps, clip.audio, vocab.AUDIO_RATE)
        mp4 = path.read_bytes()
    record = {"caption": text, "split": split_of(spec), "spec": spec.to_dict(), "truth": clip.truth}
    return f"{index:08d}", mp4, json.dumps(record, separators=(",", ":")).encode()


def _make_shard(out: str, shard: int, start: int, stop: int, seed: int, config: SamplerConfig, progress) -> int:
    final = Path(out) / f"shard-{shard:05d}.tar"
    tmp = final.with_suffix(".tar.tmp")
    try:
        with tarfile.open(tmp, "w") as tar:
            for index in range(start, stop):
                key, mp4, meta = make_clip_record(index, seed, config)
                for name, data in ((f"{key}.mp4", mp4), (f"{key}.json", meta)):
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    info.mtime = 0  # reproducible shards
                    tar.addfile(info, io.BytesIO(data))
                progress.put(1)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return stop - start


def make_dataset(
    out: str | Path,
    n: int,
    config: SamplerConfig | None = None,
    seed: int = 0,
    shard_size: int = 500,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Path:
    """Write ``n`` clips into ``out`` as shards; skip shards that already exist."""
    config = config or SamplerConfig()
    config.validate()
    if n < 1:
        raise VidoraError(f"--n must be at least 1, got {n}")
    if shard_size < 1:
        raise VidoraError(f"shard size must be at least 1, got {shard_size}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise VidoraError(f"output path exists and is not a directory: {out}")
    settings = {"n": n, "seed": seed, "shard_size": shard_size, "config": asdict(config)}
    manifest_path = out / MANIFEST
    if manifest_path.exists():
        previous = json.loads(manifest_path.read_text())
        if previous["settings"] != settings:
            raise VidoraError(f"{out} already holds a dataset made with other settings; choose another --out")
    elif out.exists() and any(out.iterdir()):
        raise VidoraError(f"{out} is not empty and holds no Vidora dataset; choose another --out")
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    shards = [(s, s * shard_size, min(n, (s + 1) * shard_size)) for s in range((n + shard_size - 1) // shard_size)]
    manifest = {
        "format": "vidora-world-shards/1",
        "vidora_version": __version__,
        "settings": settings,
        "complete": False,  # written first, so a resumed run can check its settings
        "shards": [f"shard-{s:05d}.tar" for s, _, _ in shards],
        "frames": config.frames,
        "fps": config.fps,
        "size": [config.width, config.height],
        "audio_rate": vocab.AUDIO_RATE,
    }
    _write_manifest(manifest_path, manifest)
    todo = [s for s in shards if not (out / f"shard-{s[0]:05d}.tar").exists()]
    report = on_progress or (lambda _count: None)
    report(n - sum(stop - start for _, start, stop in todo))
    try:
        with multiprocessing.Manager() as manager, ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            progress = manager.Queue()
            futures = [pool.submit(_make_shard, str(out), s, start, stop, seed, config, progress) for s, start, stop in todo]
            while not all(f.done() for f in futures):
                try:
                    report(progress.get(timeout=0.2))
                except queue.Empty:
                    pass
            for f in futures:
                f.result()  # re-raise a worker's error
            while not progress.empty():
                report(progress.get())
    except BaseException:
        if created and not any(p.name != MANIFEST for p in out.iterdir()):
            manifest_path.unlink(missing_ok=True)
            out.rmdir()
        raise
    _write_manifest(manifest_path, {**manifest, "complete": True})
    return out


def _write_manifest(path: Path, manifest: dict) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2))
    os.replace(tmp, path)


def read_manifest(root: str | Path) -> dict:
    manifest_path = Path(root) / MANIFEST
    if not manifest_path.exists():
        raise VidoraError(f"not a Vidora dataset (no {MANIFEST}): {root}")
    return json.loads(manifest_path.read_text())


def finished_shards(root: str | Path, manifest: dict) -> list[str]:
    """Shards written whole (a shard appears under its name only once complete)."""
    return [name for name in manifest["shards"] if (Path(root) / name).exists()]


def iter_dataset(root: str | Path, partial: bool = False, shards: list[str] | None = None) -> Iterator[DatasetSample]:
    """Yield every sample of a dataset directory, shard by shard, in key order.

    ``partial`` reads the shards finished so far of a dataset still being
    written (training may start before `vidora world make` ends); ``shards``
    restricts reading to those shard names.
    """
    manifest = read_manifest(root)
    root = Path(root)
    if not manifest.get("complete") and not partial:
        raise VidoraError(f"dataset {root} is incomplete: run the same `vidora world make` again to finish it")
    for name in shards or finished_shards(root, manifest):
        with tarfile.open(root / name) as tar:
            members: dict[str, dict[str, bytes]] = {}
            for member in tar.getmembers():
                key, ext = member.name.rsplit(".", 1)
                members.setdefault(key, {})[ext] = tar.extractfile(member).read()
            for key in sorted(members):
                meta = json.loads(members[key]["json"])
                yield DatasetSample(
                    key=key,
                    caption=meta["caption"],
                    spec=SceneSpec.from_dict(meta["spec"]),
                    truth=meta["truth"],
                    split=meta["split"],
                    mp4=members[key]["mp4"],
                )
