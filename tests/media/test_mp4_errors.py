"""Bad arrays and bad files give a MediaError with a message that names the problem."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest
from PIL import Image

from vidora.errors import MediaError, VidoraError
from vidora.media import probe, read_mp4, write_mp4


def frames_of(shape, dtype=np.uint8) -> np.ndarray:
    return np.zeros(shape, dtype)


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        (frames_of((2, 128, 127, 3)), "frame size 127x128 must be divisible by 2"),
        (frames_of((2, 127, 128, 3)), "frame size 128x127 must be divisible by 2"),
        (frames_of((2, 64, 64, 3), np.float32), "frames must be uint8, got float32"),
        (frames_of((64, 64, 3)), r"frames must have shape \(T, H, W, 3\)"),
        (frames_of((2, 64, 64, 4)), r"frames must have shape \(T, H, W, 3\)"),
        (frames_of((0, 64, 64, 3)), "frames must be non-empty"),
        ([[0]], "frames must be a numpy array, got list"),
    ],
)
def test_bad_frames_are_rejected(tmp_path, frames, message):
    with pytest.raises(MediaError, match=message):
        write_mp4(tmp_path / "x.mp4", frames, 8)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("audio", "message"),
    [
        (np.zeros(100, np.float64), "audio must be float32, got float64"),
        (np.zeros((100, 2), np.float32), r"audio must be a non-empty mono array of shape \(N,\)"),
        (np.zeros(0, np.float32), "audio must be a non-empty mono array"),
        (np.full(100, 1.5, np.float32), r"audio samples must lie in \[-1, 1\], peak is 1.500"),
        (np.full(100, np.nan, np.float32), "audio contains NaN or infinite samples"),
    ],
)
def test_bad_audio_is_rejected(tmp_path, audio, message):
    with pytest.raises(MediaError, match=message):
        write_mp4(tmp_path / "x.mp4", frames_of((2, 64, 64, 3)), 8, audio)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fps": 0}, "fps must be positive, got 0"),
        ({"fps": "24"}, "fps must be an int or Fraction, got str"),
        ({"fps": Fraction(-1, 2)}, "fps must be positive"),
        ({"fps": 8, "crf": 60}, "crf must be an integer from 0 to 51, got 60"),
    ],
)
def test_bad_settings_are_rejected(tmp_path, options, message):
    with pytest.raises(MediaError, match=message):
        write_mp4(tmp_path / "x.mp4", frames_of((2, 64, 64, 3)), **options)


def test_missing_output_directory(tmp_path):
    with pytest.raises(MediaError, match="output directory does not exist"):
        write_mp4(tmp_path / "nowhere" / "x.mp4", frames_of((2, 64, 64, 3)), 8)


def test_media_error_is_a_vidora_error():
    assert issubclass(MediaError, VidoraError)


@pytest.fixture
def truncated_mp4(written_clip, tmp_path):
    data = written_clip.path.read_bytes()
    path = tmp_path / "half.mp4"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture
def audio_only_mp4(tmp_path):
    path = tmp_path / "sound.m4a"
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=16000, layout="mono")
        silence = np.zeros((1, 4096), np.float32)
        frame = av.AudioFrame.from_ndarray(silence, format="flt", layout="mono")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return path


@pytest.mark.parametrize("read", [read_mp4, probe])
def test_missing_file(tmp_path, read):
    with pytest.raises(MediaError, match="no such file: .*absent.mp4"):
        read(tmp_path / "absent.mp4")


@pytest.mark.parametrize("read", [read_mp4, probe])
def test_text_file(tmp_path, read):
    path = tmp_path / "x.txt"
    path.write_text("hello, not a video\n")
    with pytest.raises(MediaError, match="^not a video file: x.txt$"):
        read(path)


@pytest.mark.parametrize("read", [read_mp4, probe])
def test_truncated_mp4(truncated_mp4, read):
    with pytest.raises(MediaError, match="^truncated or corrupt MP4: half.mp4"):
        read(truncated_mp4)


def test_mp4_cut_inside_its_header(written_clip, tmp_path):
    path = tmp_path / "stub.mp4"
    path.write_bytes(written_clip.path.read_bytes()[:2000])
    with pytest.raises(MediaError, match="^truncated or corrupt MP4: stub.mp4$"):
        read_mp4(path)


@pytest.mark.parametrize("read", [read_mp4, probe])
def test_file_without_video_stream(audio_only_mp4, read):
    with pytest.raises(MediaError, match="^no video stream in sound.m4a$"):
        read(audio_only_mp4)


def test_image_is_not_an_mp4(tmp_path):
    path = tmp_path / "still.png"
    Image.new("RGB", (8, 8)).save(path)
    with pytest.raises(MediaError, match="^not an MP4 file: still.png"):
        read_mp4(path)


def test_errors_are_one_line(truncated_mp4):
    with pytest.raises(MediaError) as caught:
        read_mp4(truncated_mp4)
    assert "\n" not in str(caught.value)
