"""Audio-visual sync: real renders are in sync to a few milliseconds; sound
shifted by 200 ms either way reads as 200 ms off."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from vidora.eval.sync import audio_onsets, av_sync, estimate_lag, match_offsets, visual_impacts
from vidora.eval.tracks import tracks_from_truth
from vidora.world import vocab
from vidora.world.audio import render_audio
from vidora.world.clip import WorldClip, render_clip
from vidora.world.physics import simulate
from vidora.world.spec import SceneSpec

from tests.eval.scenes import lively_scene


def shifted_audio(spec: SceneSpec, seconds: float) -> np.ndarray:
    """The clip's sound with every impact voiced ``seconds`` late (early if negative)."""
    traj = simulate(spec)
    traj.impacts = [dataclasses.replace(h, time=h.time + seconds) for h in traj.impacts if h.time + seconds >= 0]
    return render_audio(spec, traj)


@pytest.fixture(scope="module", params=list(vocab.BACKGROUNDS))
def clip(request) -> WorldClip:
    # Every background, so every ambience bed (wind, birds, waves, crickets, ...) is heard under the hits.
    return render_clip(lively_scene(background=request.param))


def test_real_clip_is_in_sync(clip):
    report = av_sync(tracks_from_truth(clip.truth), clip.audio, clip.spec)
    assert report.visual_impacts >= 5
    assert report.matched_share >= 0.8
    assert report.median_abs_offset_ms < 5  # well under one frame (62.5 ms)
    assert report.mean_abs_offset_ms < 20
    assert report.lag_ms == 0


@pytest.mark.parametrize("shift_ms", [200, -200])
def test_shifted_sound_reads_as_shifted(clip, shift_ms):
    audio = shifted_audio(clip.spec, shift_ms / 1000)
    report = av_sync(tracks_from_truth(clip.truth), audio, clip.spec)
    assert report.matched_share >= 0.8
    assert report.median_offset_ms == pytest.approx(shift_ms, abs=10)
    assert report.median_abs_offset_ms > 150


def test_onsets_land_on_impact_sounds_to_the_millisecond(clip):
    onsets = audio_onsets(clip.audio)
    times = np.array([h["time"] for h in clip.truth["impacts"]])
    # Hits less than 30 ms apart sound as one onset; time the ones that stand alone.
    alone = [t for t, h in zip(times, clip.truth["impacts"]) if h["speed"] >= 2.0 and np.sum(np.abs(times - t) < 0.03) == 1]
    assert len(alone) >= 3
    errors = [np.min(np.abs(onsets - t)) for t in alone]
    assert max(errors) < 0.004


def test_visual_impacts_are_timed_within_the_frame(clip):
    impacts = visual_impacts(tracks_from_truth(clip.truth), clip.spec)
    truth = np.array([h["time"] for h in clip.truth["impacts"]])
    errors = [np.min(np.abs(truth - t)) for t in impacts]
    assert np.median(errors) < 0.005
    assert max(errors) < 0.5 / clip.spec.fps


def test_silent_clip_matches_nothing():
    spec = lively_scene(background="studio")
    report = av_sync(tracks_from_truth(render_clip(spec).truth), np.zeros(33_000, np.float32), spec)
    assert report.onsets == 0 and report.matched == 0
    assert report.visual_impacts >= 5 and report.matched_share == 0
    assert math.isnan(report.median_abs_offset_ms)


def test_lag_beats_nearest_onset_pairing_on_busy_clips():
    impacts = np.arange(0.2, 1.9, 0.2)
    onsets = impacts + 0.2  # a constant lag as long as the gap between impacts
    naive = match_offsets(impacts, onsets)  # pairs each impact with the sound of the previous one
    assert np.median(np.abs(naive)) < 1e-9
    lag = estimate_lag(impacts, onsets)
    assert lag == pytest.approx(0.2)
    assert np.allclose(match_offsets(impacts, onsets, lag), 0.2)
    # Without evidence for a lag (one chance alignment) the clip counts as in sync.
    assert estimate_lag(np.array([0.5, 1.0]), np.array([0.51, 1.31])) == 0.0
