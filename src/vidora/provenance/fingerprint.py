"""Perceptual fingerprints of a video's picture and sound, for reverse search.

Picture: a 256-bit DCT perceptual hash (``imagehash.phash``, 16x16 low frequencies) of frames
sampled at a fixed rate in time, so a re-encoded, rescaled or re-timed copy hashes alike. A stored
video is hashed whole and as centre crops at a few scales, so a cropped copy still finds the crop
of the original that it is.

Sound: a binary spectral fingerprint after Haitsma and Kalker (2002): for each 16 ms frame, the
signs of energy differences between 33 adjacent log-spaced bands and between frames give 32 bits.
AAC re-encoding, volume changes and mild noise flip few bits; unrelated sound flips half. Silent
frames carry no information and are masked out. (Chromaprint, the usual library, needs several
seconds of music to say anything; our clips are a few seconds of effects and ambience.)

Both are compared at every time offset, so a trimmed excerpt matches its source. Thresholds and
the figures behind them are in ``PICTURE_MATCH`` and ``SOUND_MATCH``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import imagehash
import numpy as np
from PIL import Image
from scipy import signal

HASH_RATE = 8  # picture hashes per second
HASH_SIDE = 16  # phash of 16x16 DCT coefficients: 256 bits per frame
CROP_SCALES = (1.0, 0.84, 0.71)  # side lengths of the centre crops hashed when indexing (0.71 and 0.5 of the area)
AUDIO_RATE = 16000
AUDIO_WINDOW, AUDIO_HOP = 2048, 256  # 128 ms windows every 16 ms
AUDIO_BANDS = np.geomspace(300.0, 5000.0, 34)  # 33 bands -> 32 bits per frame
SILENCE_DB = -60.0  # frames quieter than this (dBFS) are masked out
MIN_OVERLAP_PICTURES, MIN_OVERLAP_SOUND = 4, 24  # half a second of picture, 0.4 s of sound
# Share of differing bits up to which a query is taken for a copy. On 100 world clips (128x128,
# 2 s): distinct clips differ by >= 0.305 (picture) and >= 0.386 (sound); copies after H.264 CRF 40,
# half-size, crop to 0.55 of the area, half brightness or a 1 s trim by <= 0.253 and <= 0.108.
PICTURE_MATCH, SOUND_MATCH = 0.28, 0.25


@dataclass
class VideoFingerprint:
    """Frame hashes (scales, T, 4) uint64 at HASH_RATE, one row per crop scale (the first is the whole frame)."""

    hashes: np.ndarray

    @classmethod
    def of(cls, frames: np.ndarray, fps: float | Fraction, scales: tuple[float, ...] = CROP_SCALES) -> VideoFingerprint:
        times = np.arange(0.0, len(frames) / float(fps), 1.0 / HASH_RATE)
        picks = np.minimum(np.round(times * float(fps)).astype(int), len(frames) - 1)
        rows = [[_phash(_centre_crop(frames[i], scale)) for i in picks] for scale in scales]
        return cls(np.asarray(rows, dtype=np.uint8).view(np.uint64))

    def distance(self, query: VideoFingerprint) -> float:
        """Least mean share of differing bits between the query's whole frames and any crop of ours, at any offset."""
        theirs = query.hashes[0]
        everywhere = np.ones(len(theirs), bool)
        return min(least_mismatch(crop, np.ones(len(crop), bool), theirs, everywhere, MIN_OVERLAP_PICTURES)
                   for crop in self.hashes)


@dataclass
class AudioFingerprint:
    """Sub-fingerprints (T, 1) uint32 (32 bits each) and which of them are not silence (T,) bool."""

    words: np.ndarray
    loud: np.ndarray

    @classmethod
    def of(cls, audio: np.ndarray | None, rate: int) -> AudioFingerprint:
        if audio is None or rate <= 0 or len(audio) == 0:
            return cls(np.zeros((0, 1), np.uint32), np.zeros(0, bool))
        if rate != AUDIO_RATE:
            audio = signal.resample_poly(audio, AUDIO_RATE, rate)
        audio = np.pad(np.asarray(audio, np.float64), (0, max(0, AUDIO_WINDOW - len(audio))))
        freqs, _, spec = signal.stft(audio, AUDIO_RATE, nperseg=AUDIO_WINDOW, noverlap=AUDIO_WINDOW - AUDIO_HOP,
                                     boundary=None, padded=False)
        power = np.abs(spec) ** 2  # (F, T)
        band_of = np.digitize(freqs, AUDIO_BANDS) - 1
        energy = np.stack([power[band_of == b].sum(axis=0) for b in range(len(AUDIO_BANDS) - 1)], axis=1)  # (T, 33)
        across = np.diff(energy, axis=1)  # (T, 32): differences between neighbouring bands
        bits = (across[1:] - across[:-1]) > 0  # ... and how they change from one frame to the next
        windows = np.lib.stride_tricks.sliding_window_view(audio, AUDIO_WINDOW)[::AUDIO_HOP][1:len(bits) + 1]
        level = 10 * np.log10((windows**2).mean(axis=1) + 1e-12)
        return cls(np.packbits(bits, axis=1).view(np.uint32), level > SILENCE_DB)

    @property
    def is_silent(self) -> bool:
        return int(self.loud.sum()) < MIN_OVERLAP_SOUND

    def distance(self, query: AudioFingerprint) -> float:
        """Least bit error rate between the query and us at any offset, over frames loud in both (1.0 if silent)."""
        if self.is_silent or query.is_silent:
            return 1.0
        return least_mismatch(self.words, self.loud, query.words, query.loud, MIN_OVERLAP_SOUND)


def least_mismatch(ours: np.ndarray, our_valid: np.ndarray, theirs: np.ndarray, their_valid: np.ndarray,
                   min_overlap: int) -> float:
    """Least share of differing bits between word sequences (T, W) and (Q, W) over every time offset.

    Only rows valid in both count; offsets where fewer than ``min_overlap`` rows overlap (or, for a
    shorter sequence, fewer than all of it) are skipped; 1.0 when no offset qualifies.
    """
    differing = np.bitwise_count(ours[:, None, :] ^ theirs[None, :, :]).sum(axis=-1)  # (T, Q)
    both = our_valid[:, None] & their_valid[None, :]
    offset = (np.arange(len(ours))[:, None] - np.arange(len(theirs))[None, :] + len(theirs) - 1).ravel()
    mismatches = np.bincount(offset, weights=(differing * both).ravel(), minlength=len(ours) + len(theirs) - 1)
    rows = np.bincount(offset, weights=both.ravel(), minlength=len(ours) + len(theirs) - 1)
    need = max(1, min(min_overlap, int(our_valid.sum()), int(their_valid.sum())))
    usable = rows >= need
    if not usable.any():
        return 1.0
    bits_per_row = ours.shape[1] * ours.dtype.itemsize * 8
    return float((mismatches[usable] / (rows[usable] * bits_per_row)).min())


def _phash(frame: np.ndarray) -> np.ndarray:
    return np.packbits(imagehash.phash(Image.fromarray(frame), hash_size=HASH_SIDE).hash.ravel())


def _centre_crop(frame: np.ndarray, scale: float) -> np.ndarray:
    if scale >= 1.0:
        return frame
    height, width = frame.shape[:2]
    h, w = max(1, round(height * scale)), max(1, round(width * scale))
    top, left = (height - h) // 2, (width - w) // 2
    return frame[top:top + h, left:left + w]
