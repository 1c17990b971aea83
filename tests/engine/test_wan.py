"""A diffusers Wan 2.1 checkpoint runs through VideoPipeline and `vidora generate` (text-to-video, silent)."""

import shutil

import numpy as np
import pytest

from vidora import VideoPipeline
from vidora.cli import main
from vidora.errors import SpecError
from vidora.media import probe

from .tiny import tiny_wan_checkpoint


@pytest.fixture(scope="module")
def wan_dir(tmp_path_factory):
    return tiny_wan_checkpoint(tmp_path_factory.mktemp("wan") / "wan")


@pytest.fixture(scope="module")
def wan(wan_dir):
    return VideoPipeline.from_pretrained(wan_dir)


def test_cli_generates_a_silent_mp4(wan_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["generate", "a red ball bounces on the grass", "-o", "wan.mp4", "--model", str(wan_dir),
            "--size", "48x32", "--seconds", "0.5", "--steps", "2"]
    assert main(args) == 0
    info = probe(tmp_path / "wan.mp4")
    assert (info.video_codec, info.audio_codec, info.width, info.height, info.frame_count) == ("h264", None, 48, 32, 8)


def test_frames_seeds_and_progress(wan):
    steps = []
    a = wan(prompt="a blue star falls", size=(32, 32), seconds=0.4, steps=2, seed=5, callback=lambda i, n: steps.append((i, n)))
    b = wan(prompt="a blue star falls", size=(32, 32), seconds=0.4, steps=2, seed=5)
    c = wan(prompt="a blue star falls", size=(32, 32), seconds=0.4, steps=2, seed=6)
    # 6.4 frames asked: the model makes 4k+1 = 9, the result keeps the 6 asked for.
    assert a.frames.shape == (6, 32, 32, 3) and a.frames.dtype == np.uint8 and a.audio is None
    assert np.array_equal(a.frames, b.frames) and not np.array_equal(a.frames, c.frames)
    assert steps == [(1, 2), (2, 2)]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"image": np.zeros((32, 32, 3), np.uint8)}, "image: this model .* only text"),
        ({"loop": True}, "loop: this model"),
        ({"reference": np.zeros((8, 8, 4), np.uint8)}, "reference: this model"),
        ({"size": (30, 32)}, "size: .* multiples of 16"),
        ({"fps": 24}, "fps: this model makes 16 fps"),
        ({"seconds": 6}, "seconds: must be more than 0 and at most 5.0625"),
        ({"prompt": "ball " * 600}, "prompt: .* tokens long, the limit is 512"),
    ],
)
def test_what_wan_cannot_do_is_refused_by_name(wan, kwargs, message):
    with pytest.raises(SpecError, match=message):
        wan(**{"prompt": "a ball", "size": (32, 32), **kwargs})


def test_incomplete_checkpoint_is_a_clear_error(wan_dir, tmp_path):
    broken = shutil.copytree(wan_dir, tmp_path / "broken")
    shutil.rmtree(broken / "vae")
    with pytest.raises(SpecError, match="not a loadable WanPipeline checkpoint"):
        VideoPipeline.from_pretrained(broken)
