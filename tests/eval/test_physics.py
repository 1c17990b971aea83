"""Physics metrics: an exact clip scores at its floor; reversed, shuffled,
weightless and sinking motion is caught."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vidora.eval.physics import physics_floor, physics_report, velocity_jumps
from vidora.eval.tracks import Track, tracks_from_truth
from vidora.world import vocab
from vidora.world.clip import WorldClip, render_clip
from vidora.world.spec import ObjectSpec, SceneSpec

from tests.eval.scenes import lively_scene, reordered


@pytest.fixture(scope="module")
def clip() -> WorldClip:
    return render_clip(lively_scene(background="grass", size=128))


def test_exact_clip_scores_near_zero_error_and_full_plausibility(clip):
    report = physics_report(tracks_from_truth(clip.truth), clip.spec)
    assert report.skipped == {}
    assert len(report.objects) == 3
    assert report.velocity_error < 0.15  # world units / s; speeds here reach 8
    assert report.relative_error < 0.03
    assert report.plausibility > 0.95
    assert all(o.floor == 1.0 for o in report.objects)


def test_physics_floor_renders_the_spec_and_reports_pixel_rounding():
    spec = lively_scene(background="grass", size=128)
    exact = physics_floor(spec)

    def whole_pixels(c: WorldClip) -> list[Track]:
        tracks = tracks_from_truth(c.truth)
        for t in tracks:
            t.xy = np.round(t.xy)
        return tracks

    rounded = physics_floor(spec, whole_pixels)
    assert exact.velocity_error < 0.15
    # Rounding to whole pixels is what a pixel-exact detector would see: a floor well above zero.
    assert 0.5 < rounded.velocity_error < 3.0
    assert rounded.plausibility > 0.85


def test_reversed_clip_breaks_physics(clip):
    tracks = tracks_from_truth(clip.truth)
    real = physics_report(tracks, clip.spec)
    reversed_ = physics_report(reordered(tracks, np.arange(clip.spec.frames)[::-1]), clip.spec)
    assert reversed_.velocity_error > 1.5
    assert reversed_.velocity_error > 20 * real.velocity_error


def test_a_bounce_played_backwards_gains_speed():
    spec = SceneSpec(
        seed=3, background="studio", style="flat", width=128, height=128,
        objects=[ObjectSpec(size="medium", material="wood", motion="fall", x=4.0, y=6.5, shape="ball", colour="green")],
    )
    tracks = tracks_from_truth(render_clip(spec).truth)
    real = physics_report(tracks, spec).objects[0]
    backwards = physics_report(reordered(tracks, np.arange(spec.frames)[::-1]), spec).objects[0]
    assert real.contacts == 1.0 and len(real.jumps) >= 1
    assert backwards.contacts < 0.5  # each bounce now leaves the floor faster than it arrived
    assert backwards.plausibility < real.plausibility - 0.15


def test_shuffled_clip_breaks_physics(clip):
    tracks = tracks_from_truth(clip.truth)
    order = np.random.default_rng(0).permutation(clip.spec.frames)
    shuffled = physics_report(reordered(tracks, order), clip.spec)
    assert shuffled.velocity_error > 10
    assert shuffled.plausibility < 0.6


def test_weightless_objects_break_gravity(clip):
    # The same scene with nothing falling: the ball and box drift as if in space.
    drifting = render_clip(lively_scene(("fly", "fly", "fly"), background="grass", size=128))
    report = physics_report(tracks_from_truth(drifting.truth), clip.spec)
    real = physics_report(tracks_from_truth(clip.truth), clip.spec)
    ball, box = report.objects[0], report.objects[1]
    assert ball.gravity < 0.3 and box.gravity < 0.3
    assert report.velocity_error > 1.0 and report.velocity_error > 10 * real.velocity_error


def test_sinking_below_the_floor_is_caught(clip):
    tracks = tracks_from_truth(clip.truth)
    cx, cy, view_height = clip.truth["camera"][0]
    floor_row = clip.spec.height / 2 + cy * clip.spec.height / view_height  # screen y of world y = 0
    tracks[1].xy[20:, 1] = floor_row  # from frame 20 the box sits half sunk into the ground
    report = physics_report(tracks, clip.spec)
    assert report.objects[1].floor == pytest.approx(20 / 33)
    assert report.objects[0].floor == 1.0


def test_objects_unseen_at_the_start_are_skipped_not_guessed(clip):
    tracks = tracks_from_truth(clip.truth)
    tracks[2].xy[:2] = np.nan
    report = physics_report(tracks, clip.spec)
    assert list(report.skipped) == [2]
    assert "first 3 frames" in report.skipped[2]
    star = report.objects[2]
    assert star.compared == 0 and math.isnan(star.velocity_error)
    assert not math.isnan(star.plausibility)
    assert report.velocity_error < 0.15  # measured on the other two


def test_objects_without_a_track_are_skipped(clip):
    tracks = tracks_from_truth(clip.truth)[:2]
    report = physics_report(tracks, clip.spec)
    assert report.skipped == {2: "no track labelled 'yellow star'"}
    assert [o.index for o in report.objects] == [0, 1]


def test_velocity_jumps_time_a_bounce_within_the_frame():
    # A ball dropped onto the floor at y=0, bouncing at a known moment between frames.
    fps, e = 16, 0.7
    t = np.arange(33) / fps
    t_hit = 10.37 / fps
    v_hit = vocab.GRAVITY * t_hit
    y = np.where(
        t < t_hit,
        0.5 * vocab.GRAVITY * (t_hit**2 - t**2),
        e * v_hit * (t - t_hit) - 0.5 * vocab.GRAVITY * (t - t_hit) ** 2,
    )
    path = np.stack([np.full_like(t, 3.0), y], axis=1)
    jumps = velocity_jumps(path, 1 / fps)
    assert len(jumps) == 1
    assert jumps[0].frame == pytest.approx(10.37, abs=0.01)
    assert jumps[0].before[1] == pytest.approx(-v_hit, rel=0.01)
    assert jumps[0].after[1] == pytest.approx(e * v_hit, rel=0.01)
    # The same fall with centroid jitter, and no bounce, must not invent one.
    rng = np.random.default_rng(1)
    falling = np.stack([np.full_like(t, 3.0), 8 - 0.5 * vocab.GRAVITY * t**2 / 4], axis=1)
    assert velocity_jumps(falling + rng.normal(0, 0.01, falling.shape), 1 / fps) == []


def test_tracks_of_another_length_than_the_spec_are_refused(clip):
    tracks = reordered(tracks_from_truth(clip.truth), np.arange(20))
    with pytest.raises(ValueError, match="20 frames"):
        physics_report(tracks, clip.spec)
