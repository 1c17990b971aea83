import json

import numpy as np
import pytest
from PIL import Image

from vidora import VideoPipeline
from vidora.engine import Shot
from vidora.errors import SpecError
from vidora.media import probe, read_mp4

from .tiny import FPS, FRAMES, SIZE, tiny_checkpoint


@pytest.fixture(scope="module")
def pipe(tmp_path_factory):
    return VideoPipeline.from_pretrained(tiny_checkpoint(tmp_path_factory.mktemp("ckpt") / "tiny"))


def frame(colour):
    return np.full((SIZE[1], SIZE[0], 3), colour, np.uint8)


def test_checkpoint_is_in_diffusers_layout(pipe):
    index = json.loads((pipe.path / "model_index.json").read_text())
    assert index["_class_name"] == "VidoraPipeline"
    for part in ("transformer", "vae", "audio_vae", "vocoder"):
        assert (pipe.path / part / "diffusion_pytorch_model.safetensors").exists()
    assert json.loads((pipe.path / "scheduler" / "scheduler_config.json").read_text())["_class_name"] == "FlowMatchEulerDiscreteScheduler"


def test_checkpoint_carries_its_default_guidance(pipe, tmp_path):
    assert pipe(prompt="a ball", seed=1, steps=1).settings["guidance"] == 3.0
    tuned = VideoPipeline.from_pretrained(tiny_checkpoint(tmp_path / "tuned", guidance=6.0))
    assert tuned(prompt="a ball", seed=1, steps=1).settings["guidance"] == 6.0
    assert tuned(prompt="a ball", seed=1, steps=1, guidance=2.0).settings["guidance"] == 2.0
    with pytest.raises(SpecError, match="guidance: must be more than 0"):
        tiny_checkpoint(tmp_path / "bad", guidance=0.0)
    assert not (tmp_path / "bad").exists()


def test_text_to_video_is_deterministic_and_saves(pipe, tmp_path):
    a = pipe(prompt="a red ball bounces on the grass", seed=3, steps=2)
    b = pipe(prompt="a red ball bounces on the grass", seed=3, steps=2)
    c = pipe(prompt="a red ball bounces on the grass", seed=4, steps=2)
    assert a.frames.shape == (FRAMES, SIZE[1], SIZE[0], 3) and a.audio.size == round(FRAMES / FPS * 16000)
    assert np.array_equal(a.frames, b.frames) and np.array_equal(a.audio, b.audio)
    assert not np.array_equal(a.frames, c.frames)
    info = probe(a.save(tmp_path / "a.mp4"))
    assert (info.video_codec, info.audio_codec, info.frame_count) == ("h264", "aac", FRAMES)


def test_long_video_is_made_by_extension(pipe):
    seen = []
    out = pipe(prompt="a ball", seconds=2.0, steps=2, callback=lambda step, total: seen.append((step, total)))
    assert len(out.frames) == 32 and out.settings["chunks"] > 1
    assert out.audio.size == 32000
    # Progress is of the whole video: one count over every chunk, never going back.
    total = out.settings["chunks"] * 2
    assert seen[-1] == (total, total) and [s for s, _ in seen] == sorted(s for s, _ in seen) and len(seen) == total


def test_given_frames_are_kept_exactly(pipe, tmp_path):
    red, blue = frame((200, 30, 30)), frame((30, 30, 200))
    out = pipe(prompt="a ball", image=red, steps=1)
    assert np.array_equal(out.frames[0], red)
    out = pipe(prompt="a ball", keyframes=[red, blue], steps=1)
    assert np.array_equal(out.frames[0], red) and np.array_equal(out.frames[-1], blue)
    source = pipe(prompt="a ball", seed=1, steps=1)
    source.save(tmp_path / "s.mp4")
    forward = pipe(prompt="a ball", video=tmp_path / "s.mp4", extend="forward", seconds=1.0, steps=1)
    assert len(forward.frames) == FRAMES + FPS
    decoded = read_mp4(tmp_path / "s.mp4").frames
    assert np.array_equal(forward.frames[:FRAMES], decoded)
    backward = pipe(prompt="a ball", video=tmp_path / "s.mp4", extend="backward", seconds=1.0, steps=1)
    assert np.array_equal(backward.frames[-FRAMES:], decoded)


def test_loop_remix_storyboard_reference(pipe, tmp_path):
    loop = pipe(prompt="a ball", loop=True, steps=1)
    assert len(loop.frames) > FRAMES
    source = pipe(prompt="a ball", steps=1)
    source.save(tmp_path / "s.mp4")
    remix = pipe(prompt="a blue star", video=tmp_path / "s.mp4", strength=0.5, steps=4)
    assert remix.frames.shape == source.frames.shape
    board = pipe(storyboard=[Shot("a red ball", 0.5), {"prompt": "Gajuta walks", "seconds": 1.0}], steps=1)
    assert len(board.frames) == 8 + 16
    sprite = np.zeros((20, 20, 4), np.uint8)
    sprite[5:15, 5:15] = (250, 200, 0, 255)
    with_ref = pipe(prompt="Gajuta waves", reference=sprite, steps=1, seed=2)
    without = pipe(prompt="Gajuta waves", steps=1, seed=2)
    assert not np.array_equal(with_ref.frames, without.frames)
    styled = pipe(prompt="a ball", style="pixel", speed="slow", steps=1)
    assert styled.prompt.endswith("Pixel art, in slow motion.")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"prompt": ""}, "prompt"),
        ({"prompt": "word " * 200}, "prompt: .* tokens"),
        ({"prompt": "x", "fps": 24}, "fps"),
        ({"prompt": "x", "size": (64, 48)}, "size"),
        ({"prompt": "x", "seconds": 0}, "seconds"),
        ({"prompt": "x", "image": "nope.png"}, "image: no such file"),
        ({"prompt": "x", "image": __file__}, "image: .* is not an image"),
        ({"prompt": "x", "video": "nope.mp4", "extend": "forward"}, "video"),
        ({"prompt": "x", "video": "nope.mp4"}, "video: say what"),
        ({"prompt": "x", "extend": "up"}, "extend"),
        ({"prompt": "x", "image": np.zeros((4, 4, 3), np.uint8), "keyframes": [1, 2]}, "conflicting"),
        ({"prompt": "x", "keyframes": [np.zeros((4, 4, 3), np.uint8)]}, "keyframes: need at least 2"),
        ({"prompt": "x", "style": "oil"}, "style"),
        ({"prompt": "x", "speed": 3}, "speed"),
        ({"prompt": "x", "steps": 0}, "steps"),
        ({"storyboard": []}, "storyboard"),
        ({"prompt": "x", "reference": __file__}, "reference: .* is not an image"),
    ],
)
def test_bad_requests_name_the_parameter(pipe, kwargs, message):
    with pytest.raises(SpecError, match=message):
        pipe(**kwargs)


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(SpecError, match="not a model directory"):
        VideoPipeline.from_pretrained(tmp_path)
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline"}))
    with pytest.raises(SpecError, match="StableDiffusionPipeline"):
        VideoPipeline.from_pretrained(tmp_path)
