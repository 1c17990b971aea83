"""Fréchet World Distance: two disjoint sets of real clips are close; inverted,
shuffled, noisy or silent versions of real clips are clearly farther away."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from vidora.eval.frechet import FEATURE_NAMES, feature_vector, frechet_distance, frechet_world_distance
from vidora.world.clip import WorldClip, render_clip
from vidora.world.sampler import SamplerConfig, SceneSampler

SET_SIZE = 16


def real_set(first_seed: int) -> list[WorldClip]:
    sampler = SceneSampler(SamplerConfig(width=64, height=64))
    return [render_clip(sampler.sample(seed)) for seed in range(first_seed, first_seed + SET_SIZE)]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return np.array([feature_vector(c.frames, c.audio) for c in real_set(0)])


@pytest.fixture(scope="module")
def other_real() -> list[WorldClip]:
    return real_set(100)


def features(clips: list[WorldClip], picture: Callable = lambda f: f, sound: Callable = lambda a: a) -> np.ndarray:
    return np.array([feature_vector(picture(c.frames), sound(c.audio)) for c in clips])


def test_feature_vector_is_finite_and_named(other_real):
    clip = other_real[0]
    v = feature_vector(clip.frames, clip.audio)
    assert v.shape == (len(FEATURE_NAMES),)
    assert np.all(np.isfinite(v))
    # Still defined for a single frame and a silent, very short sound.
    assert np.all(np.isfinite(feature_vector(clip.frames[:1], np.zeros(100))))


def test_frechet_distance_is_zero_for_equal_sets_and_sees_a_shifted_mean():
    feats = np.random.default_rng(0).normal(size=(40, 5))
    assert frechet_distance(feats, feats) == pytest.approx(0, abs=1e-6)
    shift = np.array([3.0, 0, 0, 4.0, 0])
    assert frechet_distance(feats, feats + shift) == pytest.approx(25.0, rel=1e-4)


@pytest.fixture(scope="module")
def real_distance(reference, other_real) -> float:
    return frechet_world_distance(features(other_real), reference)


def test_disjoint_real_sets_are_close(real_distance):
    assert real_distance < 30


@pytest.mark.parametrize(
    ("name", "picture", "sound", "factor"),
    [
        ("inverted colours", lambda f: 255 - f, lambda a: a, 3),
        ("pixel noise", lambda f: np.clip(f + np.random.default_rng(1).normal(0, 10, f.shape), 0, 255).astype(np.uint8), lambda a: a, 3),
        ("shuffled frames", lambda f: f[np.random.default_rng(2).permutation(len(f))], lambda a: a, 2),
        ("silence", lambda f: f, np.zeros_like, 10),
    ],
)
def test_corrupted_clips_are_far(reference, other_real, real_distance, name, picture, sound, factor):
    corrupted = frechet_world_distance(features(other_real, picture, sound), reference)
    assert corrupted > factor * real_distance, name
