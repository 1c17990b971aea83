"""write_mp4 -> probe / read_mp4 round trips."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from vidora.errors import MediaError
from vidora.media import probe, read_mp4, write_mp4, writer


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / mse))


def click_positions(audio: np.ndarray, count: int) -> list[int]:
    """Positions of the `count` loudest samples, at least 10 ms apart, in order."""
    found: list[int] = []
    for index in np.argsort(-np.abs(audio)):
        if all(abs(int(index) - other) > len(audio) // 200 for other in found):
            found.append(int(index))
        if len(found) == count:
            break
    return sorted(found)


def test_probe_reports_browser_codecs_and_durations(written_clip):
    info = probe(written_clip.path)
    assert (info.video_codec, info.pix_fmt, info.audio_codec) == ("h264", "yuv420p", "aac")
    assert (info.width, info.height) == (128, 128)
    assert info.frame_count == 33
    assert info.fps == 16
    frame = 1 / 16
    assert info.video_duration == pytest.approx(33 / 16, abs=frame)
    assert info.audio_rate == 16000
    assert abs(info.audio_duration - info.video_duration) < frame


def test_read_returns_frames_close_to_input(written_clip):
    clip = read_mp4(written_clip.path)
    assert clip.frames.dtype == np.uint8
    assert clip.frames.shape == written_clip.frames.shape
    assert clip.fps == 16
    assert psnr(clip.frames, written_clip.frames) > 30


def test_read_audio_lasts_exactly_as_long_as_video(written_clip):
    clip = read_mp4(written_clip.path)
    assert clip.audio is not None and clip.audio.dtype == np.float32
    assert clip.audio_rate == 16000
    assert len(clip.audio) == round(33 / 16 * 16000)


def test_audio_clicks_keep_their_position(written_clip):
    clip = read_mp4(written_clip.path)
    found = click_positions(clip.audio, len(written_clip.click_positions))
    one_ms = 16
    assert np.abs(np.array(found) - written_clip.click_positions).max() <= one_ms


def test_audio_is_resampled_on_request(written_clip):
    clip = read_mp4(written_clip.path, audio_rate=48000)
    assert clip.audio_rate == 48000
    assert len(clip.audio) == round(33 / 16 * 48000)
    found = click_positions(clip.audio, len(written_clip.click_positions))
    one_ms = 48
    assert np.abs(np.array(found) - 3 * np.array(written_clip.click_positions)).max() <= one_ms


def test_same_input_gives_identical_bytes(written_clip, tmp_path):
    again = write_mp4(
        tmp_path / "again.mp4", written_clip.frames, written_clip.fps, written_clip.audio
    )
    assert again.read_bytes() == written_clip.path.read_bytes()


@pytest.mark.parametrize(("height", "width"), [(96, 160), (144, 256), (160, 96)])
def test_non_square_sizes_round_trip(tmp_path, make_frames, height, width):
    frames = make_frames(6, height, width)
    path = write_mp4(tmp_path / "clip.mp4", frames, 8)
    info = probe(path)
    assert (info.width, info.height, info.frame_count) == (width, height, 6)
    clip = read_mp4(path)
    assert clip.frames.shape == frames.shape
    assert psnr(clip.frames, frames) > 30


def test_ntsc_frame_rate_is_kept_exactly(tmp_path, make_frames, make_clicks):
    fps = Fraction(30000, 1001)
    frames = make_frames(10, 64, 64)
    audio = make_clicks(round(10 / fps * 16000), [1000])
    clip = read_mp4(write_mp4(tmp_path / "ntsc.mp4", frames, fps, audio))
    assert clip.fps == fps
    assert len(clip.frames) == 10
    assert len(clip.audio) == round(10 / fps * 16000)


def test_video_without_audio(tmp_path, make_frames):
    path = write_mp4(tmp_path / "silent.mp4", make_frames(4, 32, 32), 4)
    assert probe(path).audio_codec is None
    clip = read_mp4(path)
    assert clip.audio is None and clip.audio_rate == 0


def test_unsupported_audio_rate_raises_and_keeps_old_file(tmp_path, make_frames, make_clicks):
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"previous contents")
    # AAC has no 12345 Hz mode; FFmpeg refuses when opening the encoder.
    with pytest.raises(MediaError, match="cannot write MP4 clip.mp4"):
        write_mp4(path, make_frames(4, 32, 32), 4, make_clicks(12345, [100]), audio_rate=12345)
    assert path.read_bytes() == b"previous contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]


def test_failure_mid_write_removes_temp_file(tmp_path, make_frames, monkeypatch):
    real_encode = writer._encode
    seen_during_write: list[str] = []

    def encode_then_fail(*args, **kwargs):
        packets = real_encode(*args, **kwargs)
        yield next(packets)  # muxing this packet creates the temporary file
        yield next(packets)
        seen_during_write.extend(p.name for p in tmp_path.iterdir())
        raise OSError("disk full")

    monkeypatch.setattr(writer, "_encode", encode_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_mp4(tmp_path / "clip.mp4", make_frames(30, 64, 64), 8)
    assert len(seen_during_write) == 1 and seen_during_write[0].endswith(".tmp")
    assert list(tmp_path.iterdir()) == []


def write_with_late_audio(path, frames, fps, audio, audio_delay):
    """Mux an MP4 with PyAV directly whose audio starts `audio_delay` samples after the video."""
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps)
        video.height, video.width = frames.shape[1:3]
        video.pix_fmt = "yuv420p"
        sound = container.add_stream("aac", rate=16000, layout="mono")
        for index, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(rgb)
            frame.pts, frame.time_base = index, Fraction(1, fps)
            for packet in video.encode(frame):
                container.mux(packet)
        chunk = av.AudioFrame.from_ndarray(audio[None], format="flt", layout="mono")
        chunk.sample_rate, chunk.pts, chunk.time_base = 16000, audio_delay, Fraction(1, 16000)
        for packet in [*video.encode(None), *sound.encode(chunk), *sound.encode(None)]:
            container.mux(packet)


def test_audio_is_placed_by_its_timestamps(tmp_path, make_frames, make_clicks):
    # Here FFmpeg hands over the AAC priming frame (pts = 1600 - 1024) instead
    # of dropping it, so only the timestamps put the click in the right place.
    path = tmp_path / "late.mp4"
    write_with_late_audio(path, make_frames(16, 64, 64), 16, make_clicks(12000, [2000]), 1600)
    clip = read_mp4(path)
    assert len(clip.audio) == 16000
    assert abs(int(np.argmax(np.abs(clip.audio))) - 3600) <= 16


def test_read_rejects_bad_audio_rate(written_clip):
    with pytest.raises(MediaError, match="audio_rate must be a positive integer, got 0"):
        read_mp4(written_clip.path, audio_rate=0)
