import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from vidora.cli import main
from vidora.media import probe

from .tiny import FRAMES, SIZE, tiny_checkpoint


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return tiny_checkpoint(tmp_path_factory.mktemp("m") / "tiny")


def vidora(*args, cwd):
    return subprocess.run([sys.executable, "-m", "vidora", *args], capture_output=True, text=True, cwd=cwd)


def test_generate_writes_an_mp4_with_sound(model, tmp_path):
    done = vidora("generate", "a red ball bounces on the grass", "-o", "out.mp4", "--model", str(model), "--steps", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    info = probe(tmp_path / "out.mp4")
    assert (info.video_codec, info.audio_codec, info.frame_count, (info.width, info.height)) == ("h264", "aac", FRAMES, SIZE)


def test_every_task_flag_runs(model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # in-process: one torch import for all runs
    Image.new("RGB", SIZE, (200, 20, 20)).save(tmp_path / "a.png")
    Image.new("RGB", SIZE, (20, 20, 200)).save(tmp_path / "b.png")
    (tmp_path / "board.json").write_text(json.dumps([{"prompt": "a ball", "seconds": 0.5}, {"prompt": "a star", "seconds": 0.5}]))
    base = ["--model", str(model), "--steps", "1"]
    assert main(["generate", "a ball", "-o", "s.mp4", *base]) == 0
    runs = {
        "image": ["--image", "a.png"],
        "extend": ["--extend", "s.mp4", "--direction", "backward", "--seconds", "0.5"],
        "interpolate": ["--interpolate", "a.png", "b.png"],
        "loop": ["--loop"],
        "remix": ["--remix", "s.mp4", "--strength", "0.5"],
        "storyboard": ["--storyboard", "board.json"],
        "character": ["--character", "a.png", "--style", "pixel", "--speed", "fast", "--seconds", "1.5", "--seed", "3"],
    }
    for name, flags in runs.items():
        assert main(["generate", "a ball", "-o", f"{name}.mp4", *base, *flags]) == 0, name
        assert probe(tmp_path / f"{name}.mp4").frame_count >= 8


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--fps", "30"], "fps: this model makes 16 fps"),
        (["--size", "64"], "size: expected WIDTHxHEIGHT"),
        (["--image", "missing.png"], "image: no such file"),
        (["--extend", "x.mp4", "--remix", "x.mp4"], "conflicting"),
        (["--direction", "sideways", "--extend", "x.mp4"], "direction"),
        (["--character", "notes.txt"], "reference: .* is not an image"),
        (["-o", "out.avi"], "out: must end in .mp4"),
    ],
)
def test_bad_flags_fail_cleanly_without_output(model, tmp_path, flags, message):
    (tmp_path / "notes.txt").write_text("hello")
    done = vidora("generate", "a ball", "-o", "out.mp4", "--model", str(model), *flags, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert __import__("re").search(message, done.stderr), done.stderr
    assert not (tmp_path / "out.mp4").exists() and not (tmp_path / "out.avi").exists()
