import json

import pytest
import torch
from diffusers import AutoencoderKLLTX2Video

from vidora.errors import SpecError
from vidora.training.autoencoders import VideoVAERun, crop_batch, foreground_weight, train_video_vae
from vidora.world.dataset import make_dataset
from vidora.world.sampler import SamplerConfig


def test_foreground_weight_marks_objects_not_the_gradient():
    video = torch.linspace(-1, 1, 16).view(1, 1, 1, 16, 1).expand(1, 3, 2, 16, 16).clone()  # vertical gradient
    video[:, :, :, 4:7, 4:7] = torch.tensor([1.0, -1.0, -1.0]).view(1, 3, 1, 1, 1)  # a red square
    weight = foreground_weight(video)
    assert weight[0, 0, 0, 5, 5] > 1 and weight[0, 0, 0, 12, 12] == 1
    assert int((weight > 1).sum()) == 2 * 9


def test_crops_must_fit():
    clip = {"video": torch.zeros(3, 9, 32, 32)}
    batch = crop_batch([clip, clip], frames=5, size=16, generator=torch.Generator())
    assert batch["x"].shape == (2, 3, 5, 16, 16)
    with pytest.raises(SpecError, match="does not fit"):
        crop_batch([clip], frames=17, size=16, generator=torch.Generator())


def test_video_vae_trains_resumes_and_saves(tmp_path):
    data = make_dataset(tmp_path / "d", n=2, config=SamplerConfig(frames=9, fps=8, width=32, height=32), workers=1)
    settings = VideoVAERun(data=data, run=tmp_path / "run", steps=2, batch_size=2, crop_frames=5, crop_size=32,
                           workers=0, sample_every=2)
    out = train_video_vae(settings)
    vae = AutoencoderKLLTX2Video.from_pretrained(out)
    assert vae.latents_std.min() > 0 and not torch.equal(vae.latents_std, torch.ones_like(vae.latents_std))
    z = vae.encode(torch.zeros(1, 3, 9, 32, 32)).latent_dist.mode()
    assert z.shape == (1, 16, 3, 4, 4)
    assert (tmp_path / "run" / "samples" / "step-0000002.png").exists()
    settings.steps = 3
    train_video_vae(settings)  # resumes at step 2
    steps = [json.loads(line)["step"] for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert steps == [2, 3]
    with pytest.raises(SpecError, match="crop_frames"):
        train_video_vae(VideoVAERun(data=data, run=tmp_path / "r2", crop_frames=6))


def test_decoder_only_keeps_the_encoder_and_so_the_latents(tmp_path):
    data = make_dataset(tmp_path / "d", n=2, config=SamplerConfig(frames=9, fps=8, width=32, height=32), workers=1)
    first = train_video_vae(VideoVAERun(data=data, run=tmp_path / "a", steps=1, batch_size=2, crop_frames=5, crop_size=32, workers=0))
    second = train_video_vae(VideoVAERun(data=data, run=tmp_path / "b", steps=2, batch_size=2, crop_frames=5, crop_size=32,
                                         workers=0, init=first, decoder_only=True))
    before, after = (AutoencoderKLLTX2Video.from_pretrained(p) for p in (first, second))
    assert all(torch.equal(a, b) for a, b in zip(before.encoder.state_dict().values(), after.encoder.state_dict().values()))
    assert not all(torch.equal(a, b) for a, b in zip(before.decoder.state_dict().values(), after.decoder.state_dict().values()))
    with pytest.raises(SpecError, match="decoder_only: needs --init"):
        train_video_vae(VideoVAERun(data=data, run=tmp_path / "c", steps=1, decoder_only=True))
