import math

import pytest
import torch
from diffusers import AutoencoderKLLTX2Audio
from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

from vidora.engine.audio import MEL, log_mel, model_mel
from vidora.errors import SpecError
from vidora.training.audio import AudioRun, mel_windows, stft_loss, train_audio_vae, train_vocoder
from vidora.world.dataset import make_dataset
from vidora.world.sampler import SamplerConfig


def test_log_mel_puts_a_tone_in_its_band():
    t = torch.arange(MEL.sample_rate) / MEL.sample_rate
    for freq in (300.0, 2000.0):
        mel = log_mel(torch.sin(2 * math.pi * freq * t)[None])
        assert mel.shape == (1, MEL.frames(MEL.sample_rate), MEL.mel_bins)
        peak = int(mel[0, 50].argmax())
        assert peak == int(log_mel(torch.sin(2 * math.pi * freq * t)[None])[0, 60].argmax())  # steady
        if freq == 300.0:
            low = peak
    assert peak > low + 10  # higher pitch, higher mel bin


def test_windows_pair_mels_with_the_samples_they_cover():
    audio = torch.randn(2, 16000)
    batch = mel_windows([{"audio": a} for a in audio], frames=21, generator=torch.Generator().manual_seed(0))
    assert batch["x"].shape == (2, 1, 21, 64) and batch["wave"].shape == (2, 21 * 160)
    with pytest.raises(SpecError, match="window_frames"):
        mel_windows([{"audio": audio[0]}], frames=500, generator=torch.Generator())


def test_stft_loss_is_zero_only_for_the_same_wave():
    wave = torch.randn(1, 4000)
    assert float(stft_loss(wave, wave)) < 1e-5
    assert float(stft_loss(0.5 * wave, wave)) > 0.1


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("d") / "d", n=2, config=SamplerConfig(frames=9, fps=8, width=32, height=32), workers=1)


def test_audio_vae_and_vocoder_train_and_save(data, tmp_path):
    common = dict(data=data, steps=2, batch_size=2, workers=0, sample_every=2)
    vae = AutoencoderKLLTX2Audio.from_pretrained(train_audio_vae(AudioRun(run=tmp_path / "a", window_frames=41, **common)))
    mel = model_mel(torch.zeros(1, 16000))[:, :, :101]
    assert vae.encode(mel).latent_dist.mode().shape == (1, 8, 26, 16)
    vocoder = LTX2Vocoder.from_pretrained(train_vocoder(AudioRun(run=tmp_path / "v", window_frames=32, **common)))
    assert vocoder(mel).shape == (1, 1, 101 * 160)
    assert (tmp_path / "v" / "samples.jsonl").read_text().count("resynthesis_mel_l1") == 1
    with pytest.raises(SpecError, match="1 \\+ 4k"):
        train_audio_vae(AudioRun(run=tmp_path / "b", window_frames=40, **common))
