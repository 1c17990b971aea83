"""Perceptual fingerprints of a video's picture and sound, for reverse search.

Picture: a 256-bit DCT perceptual hash (``imagehash.phash``, 16x16 low frequencies) of frames
sampled at a fixed rate in time, so a re-encoded, rescaled or re-timed copy hashes alike. The hash
moves a long way when the picture shifts by even 2% of its width, so a copy is found only where it
lines up with a view hashed on one side or the other: a stored video is hashed whole, as centre
crops and as its four corners (cutting a corner off is the usual way to try to lose the visible
mark), and a query is hashed whole (also half a hash interval later, as a trimmed copy's frames may
fall between ours), mirrored, and turned back by a few degrees (its centre, where a turned copy has
no black corners). A still frame can lie as close to an unrelated clip as a copy does, so picture
is compared over 2 s (or all of the shorter video).

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
from functools import cache

import imagehash
import numpy as np
from PIL import Image
from scipy import signal

HASH_RATE = 8  # picture hashes per second
HASH_SIDE = 16  # phash of 16x16 DCT coefficients: 256 bits per frame
AUDIO_RATE = 16000
AUDIO_WINDOW, AUDIO_HOP = 2048, 256  # 128 ms windows every 16 ms
AUDIO_BANDS = np.geomspace(300.0, 5000.0, 34)  # 33 bands -> 32 bits per frame
SILENCE_DB = -60.0  # frames quieter than this (dBFS) are masked out
HASHED_SIDE = 128  # frames are shrunk to about this (by a whole factor) before their views are hashed at 64x64
# Search compares every stored video with every 4th frame of the query's picture and every 8th of its
# sound, then the nearest SHORTLIST in full.
ROUGH_STRIDES, SHORTLIST = (4, 8), 8
COMPARE_CHUNK = 1 << 22  # (stored row, query row) pairs compared at once: about 100 MB of working memory
MIN_QUERY_PICTURES = 4  # a query with less than half a second of picture is matched by sound only
# Picture is compared over 2 s of overlap (or all of the shorter video), sound over 0.4 s: over a few
# frames an unrelated clip can come as close as a copy.
PICTURE_OVERLAP, SOUND_OVERLAP = 16, 24
# Share of differing bits up to which a query is taken for a copy. Against 500 indexed world clips
# (128x128, 2 s), 120 others came within 0.253 whole against whole, 0.205 through another view
# (a centre crop, the mirror) and 0.386 by sound; copies after H.264 CRF 40, half size, half
# brightness or contrast x1.5 stay within 0.16 and 0.11. Every pair of views besides whole against
# whole is one more chance of a false match, so a match through one must be VIEW_PENALTY closer.
PICTURE_MATCH, SOUND_MATCH, VIEW_PENALTY = 0.24, 0.25, 0.06


@dataclass(frozen=True)
class View:
    """What is hashed of a video: frames picked ``later`` by that share of a hash interval, each turned by
    ``turned`` degrees (anticlockwise) or ``mirrored``, then a window of ``side`` times its width and
    height placed ``across`` and ``down`` the margin left around it (0: left or top, 0.5: centred, 1:
    right or bottom)."""

    side: float = 1.0
    across: float = 0.5
    down: float = 0.5
    turned: float = 0.0
    mirrored: bool = False
    later: float = 0.0

    def of(self, image: Image.Image) -> Image.Image:
        if self.mirrored:
            image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        if self.turned:
            image = image.rotate(self.turned, Image.BILINEAR)
        if self.side >= 1.0:
            return image
        width, height = image.size
        w, h = max(1, round(width * self.side)), max(1, round(height * self.side))
        left, top = round((width - w) * self.across), round((height - h) * self.down)
        return image.crop((left, top, left + w, top + h))


# What is hashed when a video is indexed: whole, centre crops to 0.71 and 0.5 of the area, and the
# four corners at 0.64 of the area (crops within about 0.62-0.66 of the area match them; on 20 world
# clips none outside). Keep this order: rows indexed before the corners were added hold the first three.
INDEXED_VIEWS = (View(), View(0.84), View(0.71), *(View(0.8, across, down) for down in (0, 1) for across in (0, 1)))
# What is hashed of a query: whole, whole half a hash interval later (a trimmed copy's frames may fall
# between ours), mirrored, and the centre turned back by 5 or 10 degrees either way (turned views
# land within 2.5 degrees of any turn up to 12.5, and phash shrugs that off).
QUERY_VIEWS = (View(), View(later=0.5), View(mirrored=True),
               *(View(0.71, turned=angle) for angle in (-10.0, -5.0, 5.0, 10.0)))


@dataclass
class VideoFingerprint:
    """Frame hashes (views, T, 4) uint64 at HASH_RATE, one row per view (``INDEXED_VIEWS`` or ``QUERY_VIEWS``)."""

    hashes: np.ndarray
    views: tuple[View, ...] = INDEXED_VIEWS

    @classmethod
    def of(cls, frames: np.ndarray, fps: float | Fraction, views: tuple[View, ...] = INDEXED_VIEWS) -> VideoFingerprint:
        times = np.arange(0.0, len(frames) / float(fps), 1.0 / HASH_RATE)
        grey = cache(lambda i: _grey(frames[i]))
        rows = []
        for view in views:
            picks = np.minimum(np.round((times + view.later / HASH_RATE) * float(fps)).astype(int), len(frames) - 1)
            rows.append([_phash(view.of(grey(i))) for i in picks])
        return cls(np.asarray(rows, dtype=np.uint8).view(np.uint64), views)


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
        return int(self.loud.sum()) < SOUND_OVERLAP


def shortlist(pictures: list[VideoFingerprint], sounds: list[AudioFingerprint], picture: VideoFingerprint,
              sound: AudioFingerprint) -> np.ndarray:
    """The few stored videos (indices, nearest first) worth comparing with the query in full: nearest by
    comparing every few of the query's frames, a fraction of the work."""
    rough = np.minimum(picture_distances(pictures, picture, ROUGH_STRIDES[0]) / PICTURE_MATCH,
                       sound_distances(sounds, sound, ROUGH_STRIDES[1]) / SOUND_MATCH)
    return np.argsort(rough, kind="stable")[:SHORTLIST]


def picture_distances(stored: list[VideoFingerprint], query: VideoFingerprint, stride: int = 1) -> np.ndarray:
    """For each stored video, its least distance to the query over pairs of views: the query's whole (or mirrored)
    frames against every stored view, and a window of the query (turned back) against the same window stored;
    VIEW_PENALTY further but for whole against whole. With ``stride``, only every stride-th query frame is
    compared (rough)."""
    distances = np.ones(len(stored))
    by_view: dict[View, list[tuple[int, np.ndarray]]] = {}
    for i, fingerprint in enumerate(stored):
        for view, hashes in zip(fingerprint.views, fingerprint.hashes):
            by_view.setdefault(view, []).append((i, hashes))
    for stored_view, having in by_view.items():
        videos = np.array([i for i, _ in having])
        rows = np.concatenate([hashes for _, hashes in having])
        lengths = np.array([len(hashes) for _, hashes in having])
        everywhere = np.ones(len(rows), bool)
        for view, theirs in zip(query.views, query.hashes):
            if view.side >= 1.0 or View(view.side, view.across, view.down) == stored_view:
                found = least_mismatches(rows, everywhere, lengths, theirs, np.ones(len(theirs), bool), PICTURE_OVERLAP,
                                         stride)
                if view != View() or stored_view != View():
                    found = np.minimum(1.0, found + VIEW_PENALTY)
                distances[videos] = np.minimum(distances[videos], found)
    return distances


def sound_distances(stored: list[AudioFingerprint], query: AudioFingerprint, stride: int = 1) -> np.ndarray:
    """For each stored sound, its least bit error rate with the query (1.0 where either is silent); with
    ``stride``, over every stride-th query frame only."""
    distances = np.ones(len(stored))
    heard = [i for i, sound in enumerate(stored) if not sound.is_silent]
    if heard and not query.is_silent:
        distances[heard] = least_mismatches(
            np.concatenate([stored[i].words for i in heard]), np.concatenate([stored[i].loud for i in heard]),
            np.array([len(stored[i].words) for i in heard]), query.words, query.loud, SOUND_OVERLAP, stride)
    return distances


def least_mismatches(ours: np.ndarray, our_valid: np.ndarray, lengths: np.ndarray, theirs: np.ndarray,
                     their_valid: np.ndarray, min_overlap: int, stride: int = 1) -> np.ndarray:
    """For word sequences laid end to end in ``ours`` (N, W), ``lengths`` rows each, every one's least share
    of bits differing from ``theirs`` (Q, W) over every time offset, all at once.

    Only rows valid in both count; offsets where fewer than ``min_overlap`` rows overlap (or, for a
    shorter sequence, fewer than all of it) are skipped; 1.0 when no offset qualifies. With ``stride``,
    only every stride-th row of theirs is compared (and the overlaps needed shrink to match).
    """
    lengths = np.asarray(lengths, int)
    starts = np.cumsum(lengths) - lengths
    result = np.ones(len(lengths))
    theirs, their_valid = theirs[::stride], their_valid[::stride]
    if len(theirs) == 0:
        return result
    for length in np.unique(lengths[lengths > 0]):  # sequences of one length compare as one array
        alike = np.flatnonzero(lengths == length)
        per_chunk = max(1, COMPARE_CHUNK // (length * len(theirs)))  # to bound the memory a search takes
        for chunk in np.array_split(alike, -(-len(alike) // per_chunk)):
            rows = starts[chunk][:, None] + np.arange(length)
            result[chunk] = _least_mismatches_alike(ours[rows], our_valid[rows], theirs, their_valid, min_overlap, stride)
    return result


def _least_mismatches_alike(ours: np.ndarray, our_valid: np.ndarray, theirs: np.ndarray, their_valid: np.ndarray,
                            min_overlap: int, stride: int) -> np.ndarray:
    """``least_mismatches`` of sequences (S, T, W) of one length: each offset is a diagonal of (S, T, Q)."""
    count, length = our_valid.shape
    theirs, their_valid = theirs[::-1], their_valid[::-1]  # so that our row t and their row j meet at t + j * stride
    both = our_valid[:, :, None] & their_valid[None, None, :]
    differing = np.zeros(both.shape, np.uint16)
    for word in range(ours.shape[-1]):  # word by word: numpy sums short rows slowly
        differing += np.bitwise_count(ours[:, :, None, word] ^ theirs[None, None, :, word])
    differing *= both
    span = (len(theirs) - 1) * stride + 1
    offsets = length + span - 1
    mismatches, rows = np.zeros((count, offsets), np.int32), np.zeros((count, offsets), np.int32)
    if length <= len(theirs):
        for t in range(length):
            mismatches[:, t:t + span:stride] += differing[:, t]
            rows[:, t:t + span:stride] += both[:, t]
    else:
        for j in range(len(theirs)):
            mismatches[:, j * stride:j * stride + length] += differing[:, :, j]
            rows[:, j * stride:j * stride + length] += both[:, :, j]
    need = np.maximum(1, np.minimum(np.minimum(min_overlap, our_valid.sum(axis=1)) // stride, int(their_valid.sum())))
    bits_per_row = ours.shape[-1] * ours.dtype.itemsize * 8
    shares = np.where(rows >= need[:, None], mismatches / np.maximum(rows, 1) / bits_per_row, 1.0)
    return shares.min(axis=1)


def _grey(frame: np.ndarray) -> Image.Image:
    image = Image.fromarray(frame).convert("L")
    return image.reduce(max(1, min(image.size) // HASHED_SIDE))


def _phash(image: Image.Image) -> np.ndarray:
    return np.packbits(imagehash.phash(image, hash_size=HASH_SIDE).hash.ravel())
