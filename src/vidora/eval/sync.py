"""Audio-visual sync: do impact sounds start when the picture shows an impact?

Visual impacts are sudden velocity changes in the tracks (bounces off the
floor, walls and ceiling, collisions), found in world units through the
spec's camera path and timed to a fraction of a frame by
``vidora.eval.physics.velocity_jumps``. Audio onsets come from a spectral-flux
detector on 8 ms frames every 1 ms.

Pairing first estimates one audio lag for the whole clip (the shift within
``window_s`` that lines up the most impacts with onsets), then pairs each
visual impact one-to-one with the onset nearest to its time plus that lag,
within ``window_s``. Pairing each impact with its plain nearest onset would
fail on busy clips: when impacts are a couple of hundred milliseconds apart, a
sound that lags by 200 ms sits next to the following impact and would read as
in sync. The offsets (onset time minus impact time) are then summarised.

On real renders the offsets are a millisecond or two (the onset detector
reports about 1 ms early; impacts in the same frame interval blur into one
visual time). A clip whose sound lags its picture by 200 ms reads +200 ms.
Ambience has onsets of its own (crickets starting up again, bird calls), so
compare ``unexplained_onsets`` with the real render's count, not with zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage, signal

from vidora.eval.physics import JUMP_SPEED, camera_rows, to_world, velocity_jumps
from vidora.eval.tracks import Track
from vidora.world import vocab
from vidora.world.spec import SceneSpec

ONSET_FRAME_S = 0.008  # STFT frame: short, so an onset is placed within a millisecond or two
ONSET_HOP_S = 0.001
ONSET_MEMORY_S = 0.04  # a rise counts only against the loudest of the last 40 ms
ONSET_GAIN = 200.0  # log(1 + gain*|X|): rises matter relative to the level already there
ONSET_THRESHOLD = 0.02  # mean log-magnitude rise over all bins that makes an onset
ONSET_SPACING_S = 0.02  # onsets closer than this are one
SYNC_WINDOW_S = 0.3  # largest audio lag searched, and farthest an onset may sit from impact + lag
ALIGN_SPREAD_S = 0.025  # how close an onset must come to count as lined up when estimating the lag


def onset_strength(audio: np.ndarray, rate: int = vocab.AUDIO_RATE) -> tuple[np.ndarray, np.ndarray]:
    """(times in s, strength): mean rise of the log spectrum over its recent maximum.

    Comparing each bin with its maximum over the previous ONSET_MEMORY_S (and
    the neighbouring bins), not just the previous frame, keeps swelling wind
    and waves, and cricket chirps repeating faster than that, from reading as
    onsets, while a hit, which lifts many bins at once, stands out.
    """
    frame = max(16, round(ONSET_FRAME_S * rate))
    hop = max(1, round(ONSET_HOP_S * rate))
    audio = np.asarray(audio, dtype=np.float64)
    if audio.size < frame:
        return np.zeros(0), np.zeros(0)
    _, _, spectrum = signal.stft(audio, fs=rate, nperseg=frame, noverlap=frame - hop, boundary=None, padded=False)
    level = np.log1p(ONSET_GAIN * np.abs(spectrum))
    memory = max(1, round(ONSET_MEMORY_S * rate / hop))
    across = ndimage.maximum_filter1d(level, size=3, axis=0)
    # Frame t looks back at frames t-memory..t-1; the first frame stands in for the time before the clip.
    padded = np.concatenate([np.repeat(across[:, :1], memory, axis=1), across[:, :-1]], axis=1)
    previous = np.lib.stride_tricks.sliding_window_view(padded, memory, axis=1).max(axis=-1)
    strength = np.maximum(level - previous, 0).mean(axis=0)
    times = (np.arange(level.shape[1]) * hop + frame / 2) / rate
    return times, strength


def audio_onsets(audio: np.ndarray, rate: int = vocab.AUDIO_RATE, threshold: float = ONSET_THRESHOLD) -> np.ndarray:
    """Times (s) where a new sound starts, to about a millisecond."""
    times, strength = onset_strength(audio, rate)
    if strength.size == 0:
        return np.zeros(0)
    spacing = max(1, round(ONSET_SPACING_S / ONSET_HOP_S))
    peaks, _ = signal.find_peaks(strength, height=threshold, distance=spacing)
    return times[peaks]


def visual_impacts(
    tracks: list[Track], spec: SceneSpec, cams: np.ndarray | None = None, min_jump: float = JUMP_SPEED
) -> np.ndarray:
    """Played times (s) of bounces and collisions seen in the tracks, sorted.

    ``min_jump`` is the smallest velocity change counted, in world units per
    simulated second; the default keeps impacts too soft to be voiced
    (``vidora.world.physics.AUDIBLE_SPEED``) out, and a noisy track must also
    jump clear of its own jitter. A collision shows in both objects' tracks;
    jumps in different tracks less than a third of a frame apart are one
    impact.
    """
    cams = camera_rows(spec) if cams is None else cams
    frames = sorted(
        jump.frame
        for track in tracks
        for jump in velocity_jumps(to_world(track.xy, cams, spec.width, spec.height), spec.speed / spec.fps, min_jump)
    )
    merged: list[float] = []
    for f in frames:
        if not merged or f - merged[-1] >= 1 / 3:
            merged.append(f)
    return np.array(merged) / spec.fps


@dataclass
class SyncReport:
    median_abs_offset_ms: float  # median |onset - impact| over matched impacts; NaN if none matched
    mean_abs_offset_ms: float
    median_offset_ms: float  # signed: positive when the sound comes after the picture
    lag_ms: float  # the clip-wide audio lag the pairing was centred on
    visual_impacts: int  # impacts seen in the picture
    matched: int  # of those, how many found an onset within the window
    onsets: int  # onsets heard
    unexplained_onsets: int  # onsets not paired with a visual impact (ambience events count too)
    offsets_ms: list[float] = field(default_factory=list)  # signed, one per matched impact

    @property
    def matched_share(self) -> float:
        """Share of visual impacts that are heard; NaN if the picture shows none."""
        return self.matched / self.visual_impacts if self.visual_impacts else float("nan")

    def summary(self) -> dict[str, float]:
        return {
            "sync_median_abs_offset_ms": self.median_abs_offset_ms,
            "sync_mean_abs_offset_ms": self.mean_abs_offset_ms,
            "sync_median_offset_ms": self.median_offset_ms,
            "sync_matched_share": self.matched_share,
            "sync_unexplained_onsets": float(self.unexplained_onsets),
        }


def estimate_lag(impacts: np.ndarray, onsets: np.ndarray, window_s: float = SYNC_WINDOW_S) -> float:
    """The one audio lag (s, within +-window_s) that lines up the most impacts with onsets.

    Each impact scores exp(-(d / ALIGN_SPREAD_S)^2) for the distance d from
    its shifted time to the nearest onset; candidates are the observed
    impact-to-onset gaps. The clip counts as in sync (lag 0) unless some lag
    lines up at least one impact more than no lag does: with noisy tracks a
    few chance alignments must not pull the pairing off.
    """
    candidates = sorted({float(o - v) for v in impacts for o in onsets if abs(o - v) <= window_s}, key=abs)
    if not candidates:
        return 0.0
    gaps = onsets[None, :] - impacts[:, None]

    def alignment(lag: float) -> float:
        nearest = np.abs(gaps - lag).min(axis=1)
        return float(np.exp(-((nearest / ALIGN_SPREAD_S) ** 2)).sum())

    scores = [alignment(lag) for lag in candidates]
    best = int(np.argmax(np.round(scores, 9)))  # ties go to the smaller lag
    return candidates[best] if scores[best] >= alignment(0.0) + 1.0 else 0.0


def match_offsets(impacts: np.ndarray, onsets: np.ndarray, lag: float = 0.0, window_s: float = SYNC_WINDOW_S) -> list[float]:
    """Signed offsets (s) of one-to-one impact/onset pairs, in impact order.

    An onset may pair with an impact if it lies within ``window_s`` of the
    impact's time plus ``lag``; pairs closest to the lag are taken first.
    """
    pairs = sorted(
        (abs(o - v - lag), i, j)
        for i, v in enumerate(impacts)
        for j, o in enumerate(onsets)
        if abs(o - v - lag) <= window_s
    )
    used_onsets, offsets = set(), {}
    for _, i, j in pairs:
        if i not in offsets and j not in used_onsets:
            used_onsets.add(j)
            offsets[i] = float(onsets[j] - impacts[i])
    return [offsets[i] for i in sorted(offsets)]


def av_sync(
    tracks: list[Track],
    audio: np.ndarray,
    spec: SceneSpec,
    cams: np.ndarray | None = None,
    rate: int = vocab.AUDIO_RATE,
    window_s: float = SYNC_WINDOW_S,
) -> SyncReport:
    """Offsets between the impacts a clip shows and the onsets it sounds."""
    impacts = visual_impacts(tracks, spec, cams)
    onsets = audio_onsets(audio, rate)
    lag = estimate_lag(impacts, onsets, window_s)
    offsets = np.array(match_offsets(impacts, onsets, lag, window_s)) * 1000
    nan = float("nan")
    return SyncReport(
        median_abs_offset_ms=float(np.median(np.abs(offsets))) if offsets.size else nan,
        mean_abs_offset_ms=float(np.mean(np.abs(offsets))) if offsets.size else nan,
        median_offset_ms=float(np.median(offsets)) if offsets.size else nan,
        lag_ms=lag * 1000,
        visual_impacts=len(impacts),
        matched=len(offsets),
        onsets=len(onsets),
        unexplained_onsets=len(onsets) - len(offsets),
        offsets_ms=offsets.tolist(),
    )
