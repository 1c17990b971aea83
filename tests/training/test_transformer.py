import json
import random

import numpy as np
import pytest
import torch

from vidora.engine.builtin import new_audio_vae, new_video_vae
from vidora.engine.latents import audio_frames_of
from vidora.engine.codec import LatentEncoder
from vidora.training.latents import encode_dataset
from vidora.training.transformer import TASKS, TransformerRun, task_frames, train_transformer
from vidora.world.dataset import make_dataset
from vidora.world.sampler import SamplerConfig


def test_every_task_gives_some_frames_but_never_all():
    rng = random.Random(0)
    for task in TASKS:
        for _ in range(50):
            given = task_frames(task, 9, rng)
            assert given.sum() < 9
            assert (given.sum() == 0) == (task == "text")
    assert task_frames("first_frame", 9, rng).tolist() == [1] + [0] * 8


def test_audio_follows_the_given_video_frames():
    frames = torch.zeros(9)
    frames[0] = 1  # pixel frame 0 at 16 fps: the first 62.5 ms
    audio = audio_frames_of(frames, 52, fps=16, audio_rate=25)
    assert audio[:2].tolist() == [1, 1] and audio[2:].sum() == 0
    frames[8] = 1  # pixel frames 29..32: 1.8125 s .. 2.0625 s
    assert audio_frames_of(frames, 52, 16, 25)[45:].sum() == 7


@pytest.fixture(scope="module")
def latents(tmp_path_factory):
    root = tmp_path_factory.mktemp("t")
    config = SamplerConfig(frames=9, fps=8, width=32, height=32, character_prob=1.0)
    data = make_dataset(root / "data", n=3, config=config, workers=1)
    torch.manual_seed(0)
    return encode_dataset(data, root / "latents", LatentEncoder(new_video_vae(), new_audio_vae()), batch_size=2)


def test_encoded_dataset_is_complete_and_resumable(latents):
    stats = json.loads((latents / "stats.json").read_text())
    assert stats["video_shape"] == [16, 3, 4, 4] and stats["audio_shape"] == [8, 29, 16]
    video = np.load(latents / "video.npy")
    assert video.shape == (3, 16, 3, 4, 4) and np.abs(video).sum(axis=(1, 2, 3, 4)).min() > 0
    assert len((latents / "clips.jsonl").read_text().splitlines()) == 3
    assert np.load(latents / "references.npy").shape == (64, 16, 1, 4, 4)
    (latents / "progress.json").write_text(json.dumps({"done": 2}))  # as if stopped after the first batch
    encode_dataset(latents.parent / "data", latents, LatentEncoder(new_video_vae(), new_audio_vae()))
    assert len((latents / "clips.jsonl").read_text().splitlines()) == 3
    assert np.array_equal(np.load(latents / "video.npy")[:2], video[:2])


def test_transformer_trains_on_latents(latents, tmp_path):
    denoiser = train_transformer(TransformerRun(latents=latents, run=tmp_path, steps=2, batch_size=2))
    assert (tmp_path / "model" / "config.json").exists()
    assert json.loads((tmp_path / "log.jsonl").read_text().splitlines()[-1])["step"] == 2
    assert denoiser.transformer.config.patch_size == 4


def test_periodic_samples_are_generated_and_evaluated(latents, tmp_path):
    from vidora.engine.builtin import new_vocoder
    from vidora.training.transformer import sample_and_evaluate

    parts = {"vae": new_video_vae(), "audio_vae": new_audio_vae(), "vocoder": new_vocoder()}
    hook = sample_and_evaluate(tmp_path, parts, latents, prompts=1, steps=1)
    train_transformer(TransformerRun(latents=latents, run=tmp_path, steps=1, batch_size=1, sample_every=1), on_sample=hook)
    assert (tmp_path / "samples" / "step-0000001.png").exists()
    summary = json.loads((tmp_path / "samples.jsonl").read_text())
    assert summary["step"] == 1 and "background" in summary
