"""Fréchet World Distance (FWD): how far a set of clips lies from real world clips.

Like FID, each clip becomes a feature vector, each set is summarised by the
mean and covariance of its vectors, and the two Gaussians are compared with
the (squared) Fréchet distance

    |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)).

The features are handcrafted for the Vidora world instead of taken from a
learned network, so every dimension has a meaning (``FEATURE_NAMES``):

* colour (10): square root of the share of pixels that are vivid (the
  objects; backgrounds are muted) in each of 6 hue sectors, and of all vivid
  pixels; mean saturation, mean and spread of value (HSV, in [0, 1]).
* layout (7): mean value in 4 horizontal bands, top to bottom (sky over
  ground); centre (x, y as shares of the frame) and spread of the vivid
  pixels over the clip, i.e. where the objects are and roam.
* motion (4): log(1 + mean absolute frame-to-frame change, 0-255 levels);
  temporal order, the frame-to-frame change over the change across 4 frames
  (well below 1 when things move steadily, 1 when frames come in random
  order); share of pixels changing by more than 12 levels per frame; spread
  over time of the frame brightness (global flicker).
* sound (11): mean log power in 8 log-spaced bands from 62.5 Hz to 8 kHz;
  mean and 5-95 percentile range of the frame loudness (dB full scale);
  onsets per second (``vidora.eval.sync.audio_onsets``).

``frechet_world_distance`` first standardises every feature by the real
set's mean and spread, so the distance is in units of how much real clips
vary, and no feature dominates through its scale. It is a set statistic:
with few clips per set the covariance terms are noisy, so compare FWDs
computed with the same set sizes (with 16 sampled 64x64 clips per set, two
disjoint real sets score about 15-35).
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, signal

from vidora.eval.sync import audio_onsets
from vidora.world import vocab

HUE_SECTORS = 6  # 60-degree sectors centred on red, yellow, green, cyan, blue, magenta
VIVID = 0.6  # saturation above which a pixel is vivid: objects, not the muted backgrounds
BRIGHT = 0.2  # ... and value above which (near-black pixels have meaningless hue)
BANDS = 4  # horizontal layout bands
CHANGED_LEVELS = 12.0
ORDER_LAG = 4  # frames; see motion features
AUDIO_BANDS = 8
AUDIO_FRAME_S = 0.032
RIDGE = 1e-6  # added to covariance diagonals (relative to their mean variance)

FEATURE_NAMES: tuple[str, ...] = (
    tuple(f"hue_{i * 360 // HUE_SECTORS}" for i in range(HUE_SECTORS))
    + ("vivid_share", "saturation_mean", "value_mean", "value_spread")
    + tuple(f"band_{i}_value" for i in range(BANDS))
    + ("vivid_x", "vivid_y", "vivid_spread")
    + ("motion_energy", "temporal_order", "changed_share", "brightness_flicker")
    + tuple(f"audio_band_{i}" for i in range(AUDIO_BANDS))
    + ("loudness_mean", "loudness_range", "onset_rate")
)

# The smallest spread a feature is standardised by (see frechet_world_distance): about
# the smallest change that means something, in each feature's own unit.
SCALE_FLOORS = np.array(
    [0.05] * HUE_SECTORS + [0.05, 0.02, 0.02, 0.01] + [0.02] * BANDS + [0.02, 0.02, 0.02]
    + [0.1, 0.05, 0.01, 0.005] + [0.5] * AUDIO_BANDS + [1.0, 1.0, 0.5]
)


def _hsv(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hue (degrees), saturation and value, each in its usual range, of float RGB in [0, 1]."""
    mx, mn = rgb.max(axis=-1), rgb.min(axis=-1)
    span = mx - mn
    safe = np.where(span == 0, 1.0, span)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    hue = np.where(mx == r, ((g - b) / safe) % 6, np.where(mx == g, (b - r) / safe + 2, (r - g) / safe + 4)) * 60
    saturation = np.where(mx == 0, 0.0, span / np.where(mx == 0, 1.0, mx))
    return hue, saturation, mx


def _picture_features(frames: np.ndarray) -> list[float]:
    rgb = np.asarray(frames, dtype=np.float32) / 255.0
    T, H, W, _ = rgb.shape
    hue, sat, val = _hsv(rgb)
    vivid = (sat >= VIVID) & (val >= BRIGHT)
    sector = ((hue[vivid] + 180 / HUE_SECTORS) // (360 / HUE_SECTORS)).astype(int) % HUE_SECTORS
    # Square roots of shares: a share's sampling noise grows with its size, its root's does not.
    hue_shares = np.sqrt(np.bincount(sector, minlength=HUE_SECTORS) / hue.size)
    bands = [float(val[:, rows].mean()) for rows in np.array_split(np.arange(H), BANDS)]
    where = vivid.sum(axis=0).astype(float)  # (H, W) frames each pixel was vivid in
    if where.sum() > 0:
        ys, xs = np.mgrid[0:H, 0:W]
        cx, cy = np.average(xs + 0.5, weights=where) / W, np.average(ys + 0.5, weights=where) / H
        spread = np.sqrt(np.average((((xs + 0.5) / W - cx) ** 2 + ((ys + 0.5) / H - cy) ** 2), weights=where))
    else:
        cx, cy, spread = 0.5, 0.5, 0.0
    grey = rgb.mean(axis=-1) * 255

    def change(lag: int) -> float:
        return float(np.abs(grey[lag:] - grey[:-lag]).mean()) if T > lag else 0.0

    return [
        *hue_shares.tolist(),
        float(np.sqrt(vivid.mean())),
        float(sat.mean()),
        float(val.mean()),
        float(val.std()),
        *bands,
        float(cx),
        float(cy),
        float(spread),
        float(np.log1p(change(1))),
        # Frames in order drift apart with time; in random order they are all equally far apart (1).
        (change(1) + 0.1) / (change(ORDER_LAG) + 0.1),
        float((np.abs(np.diff(grey, axis=0)) > CHANGED_LEVELS).mean()) if T > 1 else 0.0,
        float(val.mean(axis=(1, 2)).std()),
    ]


def _sound_features(audio: np.ndarray, rate: int) -> list[float]:
    audio = np.asarray(audio, dtype=np.float64)
    frame = round(AUDIO_FRAME_S * rate)
    if audio.size < frame:
        audio = np.pad(audio, (0, frame - audio.size))
    freqs, _, power = signal.spectrogram(audio, fs=rate, nperseg=frame, noverlap=frame // 2, mode="psd")
    edges = np.geomspace(62.5, rate / 2, AUDIO_BANDS + 1)
    bands = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (freqs >= lo) & (freqs < hi) if hi < rate / 2 else (freqs >= lo)
        bands.append(float(np.log(power[inside].sum(axis=0) + 1e-12).mean()))
    loudness = 10 * np.log10(np.mean(np.lib.stride_tricks.sliding_window_view(audio, frame)[:: frame // 2] ** 2, axis=1) + 1e-10)
    duration = audio.size / rate
    return [
        *bands,
        float(loudness.mean()),
        float(np.percentile(loudness, 95) - np.percentile(loudness, 5)),
        float(len(audio_onsets(audio, rate)) / duration),
    ]


def feature_vector(frames: np.ndarray, audio: np.ndarray, rate: int = vocab.AUDIO_RATE) -> np.ndarray:
    """The clip's features, in the order of FEATURE_NAMES.

    ``frames`` (T, H, W, 3) uint8 RGB; ``audio`` mono float in [-1, 1] at ``rate``.
    """
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or len(frames) < 1:
        raise ValueError(f"expected frames of shape (T, H, W, 3), got {frames.shape}")
    return np.array(_picture_features(frames) + _sound_features(audio, rate))


def frechet_distance(feats_a: np.ndarray, feats_b: np.ndarray, ridge: float = RIDGE) -> float:
    """Squared Fréchet distance between Gaussians fitted to two (N, D) feature sets.

    A small ridge (``ridge`` times the mean variance) on both covariances keeps
    the matrix square root stable when there are fewer clips than features.
    """
    a, b = np.atleast_2d(np.asarray(feats_a, float)), np.atleast_2d(np.asarray(feats_b, float))
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"feature sizes differ: {a.shape[1]} and {b.shape[1]}")
    if len(a) < 2 or len(b) < 2:
        raise ValueError("each set needs at least two clips to estimate a covariance")
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    eps = ridge * max(float(np.trace(cov_a) + np.trace(cov_b)) / (2 * a.shape[1]), 1e-12)
    cov_a = cov_a + eps * np.eye(a.shape[1])
    cov_b = cov_b + eps * np.eye(a.shape[1])
    root = linalg.sqrtm(cov_a @ cov_b)
    mean_term = float(np.sum((a.mean(axis=0) - b.mean(axis=0)) ** 2))
    cov_term = float(np.trace(cov_a) + np.trace(cov_b) - 2 * np.trace(np.real(root)))
    return max(mean_term + cov_term, 0.0)


def frechet_world_distance(generated: np.ndarray, real: np.ndarray) -> float:
    """FWD of generated (N, D) features from real (M, D) ones, in units of real spread.

    Every feature is standardised by the real set's mean and standard
    deviation, but never by less than its SCALE_FLOORS entry: a feature that
    happens to vary little among a few real clips (a rare hue) would
    otherwise turn small differences into huge distances.
    """
    real = np.atleast_2d(np.asarray(real, float))
    mean = real.mean(axis=0)
    scale = np.maximum(real.std(axis=0), SCALE_FLOORS)
    return frechet_distance((np.asarray(generated, float) - mean) / scale, (real - mean) / scale)
