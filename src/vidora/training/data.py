"""World clips as training tensors.

Shards are split between data-loader workers and between accelerate
processes, shuffled through a buffer, and read again epoch after epoch.
Captions are written anew from each clip's spec every time it is drawn, so
the model sees many phrasings of one scene.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import IterableDataset, get_worker_info

from vidora.engine.codec import video_to_tensor
from vidora.errors import VidoraError
from vidora.world.captions import caption
from vidora.world.dataset import finished_shards, iter_dataset, read_manifest


class WorldClips(IterableDataset):
    """Endless shuffled stream of {"video", "audio", "caption", "key"} from a world dataset."""

    def __init__(self, root: str | Path, seed: int = 0, shuffle_buffer: int = 64, rank: int = 0, world_size: int = 1):
        self.root = Path(root)
        self.seed, self.shuffle_buffer = seed, shuffle_buffer
        self.rank, self.world_size = rank, world_size
        manifest = read_manifest(self.root)
        self.fps, self.frames = manifest["fps"], manifest["frames"]
        self.size = tuple(manifest["size"])
        if not finished_shards(self.root, manifest):
            raise VidoraError(f"dataset {self.root} has no finished shard yet")

    def _my_shards(self, epoch: int) -> list[str]:
        shards = finished_shards(self.root, read_manifest(self.root))  # a dataset still being written grows
        random.Random(self.seed + epoch).shuffle(shards)
        info = get_worker_info()
        workers, worker = (info.num_workers, info.id) if info else (1, 0)
        share = shards[self.rank * workers + worker :: self.world_size * workers]
        return share or shards[: 1]

    def __iter__(self) -> Iterator[dict]:
        info = get_worker_info()
        rng = random.Random(self.seed * 7919 + self.rank * 97 + (info.id if info else 0))
        buffer: list[dict] = []
        epoch = 0
        while True:
            for sample in iter_dataset(self.root, partial=True, shards=self._my_shards(epoch)):
                clip = sample.decode()
                buffer.append(
                    {
                        "video": video_to_tensor(clip.frames),
                        "audio": torch.from_numpy(clip.audio.astype(np.float32)),
                        "caption": caption(sample.spec, np.random.default_rng(rng.getrandbits(32))),
                        "key": sample.key,
                    }
                )
                if len(buffer) >= self.shuffle_buffer:
                    yield buffer.pop(rng.randrange(len(buffer)))
            epoch += 1
