import itertools

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from vidora.errors import VidoraError
from vidora.engine.codec import tensor_to_video, video_to_tensor
from vidora.training.data import WorldClips
from vidora.world.dataset import make_dataset
from vidora.world.sampler import SamplerConfig

SMALL = SamplerConfig(frames=9, fps=8, width=32, height=32)


def test_video_tensor_round_trip():
    frames = np.random.default_rng(0).integers(0, 256, (3, 4, 6, 3), dtype=np.uint8)
    tensor = video_to_tensor(frames)
    assert tensor.shape == (3, 3, 4, 6) and tensor.min() >= -1 and tensor.max() <= 1
    assert np.array_equal(tensor_to_video(tensor), frames)


def test_stream_batches_clips_with_fresh_captions(tmp_path):
    root = make_dataset(tmp_path / "d", n=4, config=SMALL, shard_size=2, workers=1)
    clips = WorldClips(root, shuffle_buffer=2)
    drawn = list(itertools.islice(iter(clips), 12))  # three passes over four clips
    assert {d["key"] for d in drawn} == {f"{i:08d}" for i in range(4)}
    assert len({d["caption"] for d in drawn}) > 4  # the same clip is described in more than one way
    batch = next(iter(DataLoader(clips, batch_size=2)))
    assert batch["video"].shape == (2, 3, 9, 32, 32) and batch["audio"].shape == (2, round(9 / 8 * 16000))
    assert batch["video"].dtype == torch.float32


def test_stream_needs_a_finished_shard(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(VidoraError, match="no manifest"):
        WorldClips(tmp_path / "d")
