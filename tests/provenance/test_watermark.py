"""The invisible watermark: round trip, a few attacks, unmarked clips, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from vidora.errors import MediaError
from vidora.media import read_mp4, write_mp4
from vidora.provenance.watermark import FALSE_POSITIVE_RATE, detect_watermark, embed_watermark
from vidora.world.clip import render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler

PAYLOAD = 0xD1CE_5EED_0BAD_F00D


@pytest.fixture(scope="module")
def clip() -> np.ndarray:
    return render_clip(SceneSampler(SamplerConfig(frames=12)).sample(7)).frames


@pytest.fixture(scope="module")
def marked(clip: np.ndarray) -> np.ndarray:
    return embed_watermark(clip, PAYLOAD)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255.0**2 / np.mean((a.astype(float) - b) ** 2)))


def test_round_trip_reads_the_payload_blind(clip, marked):
    assert marked.dtype == np.uint8 and marked.shape == clip.shape
    assert psnr(marked, clip) >= 42.0
    found = detect_watermark(marked)
    assert found.detected and found.p_value < 1e-9 and found.score > 7
    assert found.payload == PAYLOAD
    assert found.bit_accuracy(PAYLOAD) == 1.0
    assert found.bit_accuracy(PAYLOAD ^ 0b111) == pytest.approx(1 - 3 / 64)


def test_survives_h264_reencode(marked, tmp_path):
    path = write_mp4(tmp_path / "marked.mp4", marked, 16, crf=23)
    assert detect_watermark(read_mp4(path).frames).payload == PAYLOAD


def test_survives_a_crop_and_a_flip(marked):
    cropped = marked[:, 9:119, 13:117]  # 0.70 of the area, off-centre
    assert detect_watermark(cropped).payload == PAYLOAD
    assert detect_watermark(marked[:, :, ::-1]).payload == PAYLOAD


def test_unmarked_clips_are_not_detected(clip):
    for frames in (clip, np.random.default_rng(1).integers(0, 256, (6, 128, 160, 3), dtype=np.uint8)):
        found = detect_watermark(frames)
        assert not found.detected and found.payload is None
        assert found.p_value > 1e4 * FALSE_POSITIVE_RATE


def test_another_payload_reads_back(clip):
    assert detect_watermark(embed_watermark(clip, 0)).payload == 0


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        (np.zeros((4, 128, 128, 3), np.float32), "uint8"),
        (np.zeros((128, 128, 3), np.uint8), "shape"),
        (np.zeros((4, 128, 128), np.uint8), "shape"),
        (np.zeros((4, 96, 128, 3), np.uint8), "too small"),
        ([[0]], "numpy array"),
    ],
)
def test_bad_frames_are_named(frames, message):
    with pytest.raises(MediaError, match=message):
        embed_watermark(frames, PAYLOAD)


def test_too_small_to_detect_is_named():
    with pytest.raises(MediaError, match="too small"):
        detect_watermark(np.zeros((4, 40, 64, 3), np.uint8))


@pytest.mark.parametrize("payload", [-1, 1 << 64, 1.5, True])
def test_bad_payload_is_named(clip, payload):
    with pytest.raises(ValueError, match="payload"):
        embed_watermark(clip, payload)
