"""Temporal consistency: real renders are consistent; shuffled frames, a
vanishing object, relabelled frames and a flickering picture are caught."""

from __future__ import annotations


import numpy as np
import pytest

from vidora.eval.consistency import consistency_report, identity_persistence, unexplained_vanishings
from vidora.eval.tracks import Track, tracks_from_truth
from vidora.world.clip import WorldClip, render_clip
from vidora.world.spec import ShotSpec

from tests.eval.scenes import lively_scene, reordered


@pytest.fixture(scope="module")
def clip() -> WorldClip:
    return render_clip(lively_scene())


def dot_track(xy: np.ndarray, label: str = "red ball") -> Track:
    colour, shape = label.split()
    seen = ~np.isnan(xy[:, 0])
    return Track("shape", colour, shape, None, xy, np.where(seen, 50.0, np.nan), [label if s else None for s in seen])


def test_real_clip_is_consistent(clip):
    report = consistency_report(tracks_from_truth(clip.truth), clip.frames, baseline_frames=clip.frames)
    assert report.identity_persistence == 1.0
    assert report.permanence == 1.0 and report.unexplained_vanishings == 0
    assert report.flicker < 1.0  # static camera: clouds drift, nothing else changes
    assert report.flicker_excess == 0.0
    assert report.motion_roughness < 0.6


def test_cuts_and_pans_are_not_inconsistencies():
    spec = lively_scene(shots=[ShotSpec(start=0, camera="pan_right"), ShotSpec(start=16, framing="close", subject=1)])
    cut_clip = render_clip(spec)
    tracks = tracks_from_truth(cut_clip.truth)
    report = consistency_report(tracks, cut_clip.frames, cuts=[16])
    assert report.permanence == 1.0
    assert report.motion_roughness < 0.6
    # The close-up loses the star at the cut: only knowing about the cut excuses that.
    assert consistency_report(tracks, cut_clip.frames).unexplained_vanishings >= 1


def test_shuffled_frames_are_rough(clip):
    tracks = tracks_from_truth(clip.truth)
    order = np.random.default_rng(0).permutation(clip.spec.frames)
    real = consistency_report(tracks, clip.frames, baseline_frames=clip.frames)
    shuffled = consistency_report(reordered(tracks, order), clip.frames[order], baseline_frames=clip.frames)
    assert shuffled.motion_roughness > 1.2  # random positions: about sqrt(3)
    assert shuffled.motion_roughness > 3 * real.motion_roughness


def test_an_object_vanishing_mid_frame_breaks_permanence(clip):
    tracks = tracks_from_truth(clip.truth)
    tracks[2].xy[8:14] = np.nan  # the star blinks out for six frames, high in the sky
    report = consistency_report(tracks, clip.frames)
    assert report.unexplained_vanishings == 2  # it vanishes, and it reappears
    assert report.permanence == pytest.approx(2 / 3)


def test_leaving_the_view_and_hiding_behind_things_are_excused():
    T, size = 12, 64
    path = np.stack([np.linspace(20, 70, T), np.full(T, 30.0)], axis=1)
    leaving = path.copy()
    leaving[leaving[:, 0] > size] = np.nan  # walks off the right edge
    assert unexplained_vanishings(dot_track(leaving), [], size, size) == 0
    hidden = np.full((T, 2), 30.0)
    hidden[5:8] = np.nan
    occluder = dot_track(np.tile([34.0, 31.0], (T, 1)), "blue box")
    assert unexplained_vanishings(dot_track(hidden), [occluder], size, size) == 0
    assert unexplained_vanishings(dot_track(hidden), [], size, size) == 2
    assert unexplained_vanishings(dot_track(hidden), [], size, size, cuts=[5, 8]) == 0


def test_relabelled_frames_lower_identity_persistence(clip):
    tracks = tracks_from_truth(clip.truth)
    for k in range(10, 18):
        tracks[0].frame_labels[k] = "red star"  # the ball reads as a star for eight frames
    assert identity_persistence(tracks) == pytest.approx(1 - 8 / (3 * 33))


def test_flickering_picture_is_caught(clip):
    jitter = np.random.default_rng(0).integers(-12, 13, size=(clip.spec.frames, 1, 1, 1))
    flickering = np.clip(clip.frames.astype(int) + jitter, 0, 255).astype(np.uint8)
    report = consistency_report(tracks_from_truth(clip.truth), flickering, baseline_frames=clip.frames)
    assert report.flicker_excess > 4.0  # levels of 0-255
