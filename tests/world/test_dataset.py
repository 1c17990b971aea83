import json
import tarfile

import pytest

from vidora.errors import VidoraError
from vidora.media import probe
from vidora.world.dataset import iter_dataset, make_dataset
from vidora.world.sampler import SamplerConfig

SMALL = SamplerConfig(frames=9, fps=8, width=64, height=64)


def test_writes_whole_shards_and_reads_them_back(tmp_path):
    out = make_dataset(tmp_path / "d", n=5, config=SMALL, seed=10, shard_size=2, workers=1)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["shards"] == ["shard-00000.tar", "shard-00001.tar", "shard-00002.tar"]
    samples = list(iter_dataset(out))
    assert [s.key for s in samples] == [f"{i:08d}" for i in range(5)]
    clip = samples[0].decode()
    assert clip.frames.shape == (9, 64, 64, 3)
    assert clip.audio.size == round(9 / 8 * 16000)
    assert samples[0].caption and samples[0].split == "train"
    assert len(samples[0].truth["objects"][0]["position"]) == 9
    assert not list(out.glob("*.tmp"))


def test_resumes_and_refuses_other_settings(tmp_path):
    out = make_dataset(tmp_path / "d", n=4, config=SMALL, shard_size=2, workers=1)
    first = (out / "shard-00000.tar").read_bytes()
    (out / "shard-00001.tar").unlink()
    seen = []
    make_dataset(out, n=4, config=SMALL, shard_size=2, workers=1, on_progress=seen.append)
    assert seen[0] == 2 and sum(seen) == 4  # two clips already there, two made again
    assert (out / "shard-00000.tar").read_bytes() == first
    with pytest.raises(VidoraError, match="other settings"):
        make_dataset(out, n=6, config=SMALL, shard_size=2, workers=1)


def test_shards_hold_h264_aac_mp4(tmp_path):
    out = make_dataset(tmp_path / "d", n=1, config=SMALL, shard_size=1, workers=1)
    with tarfile.open(out / "shard-00000.tar") as tar:
        assert sorted(tar.getnames()) == ["00000000.json", "00000000.mp4"]
        (tmp_path / "c.mp4").write_bytes(tar.extractfile("00000000.mp4").read())
    info = probe(tmp_path / "c.mp4")
    assert (info.video_codec, info.audio_codec, info.frame_count) == ("h264", "aac", 9)


def test_bad_requests_leave_nothing_behind(tmp_path):
    with pytest.raises(VidoraError, match="at least 1"):
        make_dataset(tmp_path / "d", n=0, config=SMALL)
    assert not (tmp_path / "d").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(VidoraError, match="not a directory"):
        make_dataset(tmp_path / "file", n=1, config=SMALL)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(VidoraError, match="holds no Vidora dataset"):
        make_dataset(tmp_path / "other", n=1, config=SMALL)


def test_interrupted_dataset_is_refused_until_finished(tmp_path):
    out = make_dataset(tmp_path / "d", n=2, config=SMALL, shard_size=1, workers=1)
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "complete": False}))
    (out / "shard-00001.tar").unlink()  # as if stopped after the first shard
    with pytest.raises(VidoraError, match="incomplete"):
        list(iter_dataset(out))
    assert [s.key for s in iter_dataset(out, partial=True)] == ["00000000"]  # finished shards, for training early
    with pytest.raises(VidoraError, match="other settings"):
        make_dataset(out, n=3, config=SMALL, shard_size=1, workers=1)
    make_dataset(out, n=2, config=SMALL, shard_size=1, workers=1)
    assert len(list(iter_dataset(out))) == 2
