"""Invisible video watermark: a 64-bit payload in every frame, read back blind, with a p-value.

Interface::

    from vidora.provenance.watermark import embed_watermark, detect_watermark, WatermarkDetection

    marked = embed_watermark(frames, payload)   # frames uint8 (T, H, W, 3), payload a 64-bit unsigned int
    det = detect_watermark(marked)              # no original needed
    det.payload        # the 64-bit payload when detected, else None
    det.p_value        # chance of a sync match this strong in an unmarked video
    det.score          # that sync match (normalised: each registration tried scores a unit-variance sum without the mark)
    det.detected       # p_value <= FALSE_POSITIVE_RATE (1e-6)
    det.bit_accuracy(payload)                   # share of the 64 bits read right (benchmarks)

Bad frames (not uint8, not (T, H, W, 3), shorter side under 128 px to embed or 48 px to
detect) raise MediaError naming the problem; a payload that is not a 64-bit unsigned int raises
ValueError.

Design (benchmarks/watermark_robustness.py measures what it survives):

* **One static luma pattern in every frame.** It does not change over time, so the detector
  averages all frames first: trimming and frame-rate changes cost nothing but averaging gain,
  and inter-frame codecs keep the pattern wherever the picture is still. The same value is added
  to R, G and B (only luma changes), scaled by one gain that puts the clip at ``TARGET_PSNR`` dB.
* **Tiles of 16 x 16 cells.** Four tiles span the frame's shorter side (cells of 2 px at
  128x128, 7.5 px at 832x480, so a resized clip keeps the same layout). Each cell is +-1: 116
  cells hold fixed pseudo-random sync signs, 140 the payload, coded by the K=7 rate-1/2
  convolutional code (133, 171 octal) and scrambled by a key sequence so every payload looks
  like noise. The pattern is the band-limited periodic surface through the cells (frequencies
  below 8 cycles a tile, without the lowest ones where the picture's gradients sit).
* **Informed embedding.** The embedder knows what the detector will read, so it strengthens the
  cells whose reading falls below the mean (and only those: cells the picture already helps cost
  nothing). It reads the marked clip once as it is and then after an H.264 CRF 30 re-encode of
  16 of its frames, so the energy goes where the picture or the codec would flip a cell (at
  128x128 this lifts CRF 30 from about 0.9 to about 0.98 bit accuracy).
* **Blind registration.** The detector subtracts a median-filtered copy of the frame average
  (the picture's flat areas and edges go, the smooth pattern stays) and folds the residual onto
  one tile for a few candidate lattices: the unattacked one (which also covers pure resizing)
  and the strongest square lattices in the residual's autocorrelation (crops change the cell
  size relative to the frame, rotations its angle), each on a small grid of nearby scales and
  angles. All cyclic half-cell shifts (translation) and the 8 flips and quarter turns of the
  tile are scored at once by FFT correlation against the sync cells.
* **The statistical test.** For a video without the mark, the key's sync signs are independent
  of the folded cells ``G``, so ``sum s_c G_c / sqrt(sum G_c^2)`` is a Rademacher sum of unit
  variance whatever the content: its tail is at most Hoeffding's ``exp(-z^2/2)`` and Pinelis'
  ``(2e^3/9) Q(z)``. ``p_value`` is the smaller bound times ``HYPOTHESES`` (every registration
  searched), so ``detected`` (p <= 1e-6) has a false-positive rate of at most 1e-6 on any video.
  No model of natural images is assumed; the benchmark checks it on 1000 clean clips.
* **Payload.** At the best registration the 140 payload cells are soft values for a Viterbi
  decoder (scikit-commpy), which corrects scattered errors that a hard threshold would keep.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from commpy.channelcoding import convcode
from scipy import ndimage

from vidora.errors import MediaError
from vidora.media import read_mp4, write_mp4
from vidora.media.checks import check_frames

PAYLOAD_BITS = 64
FALSE_POSITIVE_RATE = 1e-6  # detected means p_value <= this
TARGET_PSNR = 42.2  # dB of the marked clip against the original, over all frames (the target is >= 42)
MIN_EMBED_SIDE = 128  # cells of at least 2 pixels
MIN_DETECT_SIDE = 48  # a 128-pixel clip downscaled to 0.4 still has 1-pixel cells

CELLS = 16  # the tile is CELLS x CELLS cells
TILES_PER_SIDE = 4  # tiles across the frame's shorter side: a 128x128 frame has 2-pixel cells
_SAMPLES = 2 * CELLS  # folded tile grid: two samples per cell, so half-cell shifts are searched
_TRELLIS = convcode.Trellis(np.array([6]), np.array([[0o133, 0o171]]))
CODED_BITS = 2 * (PAYLOAD_BITS + 6)  # rate 1/2 with the 6 tail bits that end in state 0
SYNC_CELLS = CELLS * CELLS - CODED_BITS

# The key: which cells hold sync or payload, the sync signs and the payload scrambling sequence.
# Changing it makes earlier marks unreadable.
_KEY = np.random.default_rng(0x56_49_44_4F_52_41)
_CELL_ORDER = _KEY.permutation(CELLS * CELLS)
_SYNC_INDEX, _MESSAGE_INDEX = _CELL_ORDER[:SYNC_CELLS], _CELL_ORDER[SYNC_CELLS:]
_SYNC_SIGNS = _KEY.choice([-1.0, 1.0], SYNC_CELLS)
_SCRAMBLE = _KEY.choice([-1.0, 1.0], CODED_BITS)


@dataclass(frozen=True)
class WatermarkDetection:
    """What `detect_watermark` found.

    `decoded` is the best reading of the payload cells whatever the p-value (benchmarks score
    its bits); `payload` is that reading only when the sync test passed.
    """

    p_value: float
    score: float  # the best normalised sync correlation (a unit-variance Rademacher sum without the mark)
    hypotheses: int  # registrations searched (the union bound's factor)
    cells: np.ndarray = field(repr=False, compare=False)  # the cell values at the best registration

    @cached_property
    def decoded(self) -> int:
        return _decode(self.cells)

    @property
    def detected(self) -> bool:
        return self.p_value <= FALSE_POSITIVE_RATE

    @property
    def payload(self) -> int | None:
        return self.decoded if self.detected else None

    def bit_accuracy(self, payload: int) -> float:
        """Share of the 64 payload bits that the decoder read right."""
        wrong = (check_payload(payload) ^ self.decoded).bit_count()
        return 1.0 - wrong / PAYLOAD_BITS


def check_payload(payload: object) -> int:
    if isinstance(payload, bool) or not isinstance(payload, (int, np.integer)):
        raise ValueError(f"the watermark payload must be an int, got {type(payload).__name__}")
    if not 0 <= payload < 1 << PAYLOAD_BITS:
        raise ValueError(f"the watermark payload must be a {PAYLOAD_BITS}-bit unsigned int, got {payload}")
    return int(payload)


def _check_video(frames: object, min_side: int) -> np.ndarray:
    frames = check_frames(frames)
    height, width = frames.shape[1:3]
    if min(height, width) < min_side:
        raise MediaError(f"frames of {width}x{height} are too small for the watermark (need {min_side} px a side)")
    return frames


def cell_size(height: int, width: int) -> float:
    """Pixels per tile cell at this frame size (TILES_PER_SIDE tiles span the shorter side)."""
    return min(height, width) / (CELLS * TILES_PER_SIDE)


# ---------------------------------------------------------------- embedding


def embed_watermark(frames: np.ndarray, payload: int) -> np.ndarray:
    """Return a copy of `frames` (uint8 (T, H, W, 3), H and W >= 128) carrying `payload` in every frame."""
    frames = _check_video(frames, MIN_EMBED_SIDE)
    payload = check_payload(payload)
    height, width = frames.shape[1:3]
    cell = cell_size(height, width)
    average = _average_luma(frames)
    sample = frames[:: max(1, len(frames) // SIMULATED_FRAMES)]
    target_mse = 255.0**2 / 10 ** (TARGET_PSNR / 10)

    # Informed embedding: the detector's reading is known here, so each round pushes up the cells
    # whose reading falls short of the mean; cells the picture already helps are left alone, which
    # costs little energy. The first round reads the clip as marked; the later ones read it after
    # an H.264 re-encode, so the energy goes to the cells that the codec would flip.
    signs = _cell_signs(payload)
    values, response = signs.copy(), None
    for informed_round in range(INFORMED_ROUNDS + 1):
        pattern = _tiled(values, cell, height, width)
        gain = math.sqrt(target_mse / float(np.mean(pattern**2)))
        if informed_round == INFORMED_ROUNDS:
            break
        marked_average = average + gain * pattern if informed_round == 0 else _average_luma(_reencoded(sample, gain * pattern))
        reading = signs * _identity_cells(marked_average, cell)
        amplitude = float(reading.mean())
        response = response or amplitude / gain
        values = values + signs * np.maximum(amplitude - reading, 0) / (response * gain)

    # Rounding and clipping to uint8 change the error a little: measure it and correct the gain once.
    marked = np.empty_like(frames)
    for _pass in range(2):
        error = 0.0
        for index, frame in enumerate(frames):
            marked[index] = _add(frame, gain * pattern)
            error += float(np.mean((marked[index].astype(np.float32) - frame) ** 2))
        gain *= math.sqrt(target_mse / max(error / len(frames), 1e-12))
    return marked


INFORMED_ROUNDS = 4  # one on the marked clip, then three on its re-encode
REENCODE_CRF = 30  # the re-encode the later rounds read: a common sharing quality, where the codec starts to bite
SIMULATED_FRAMES = 16  # frames re-encoded per round (evenly spaced): the reading averages frames anyway


def _add(frames: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """`frames` (one or many) with the luma `pattern` added to R, G and B, as uint8."""
    return np.clip(np.rint(frames + pattern[..., None]), 0, 255).astype(np.uint8)


def _reencoded(frames: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """`frames` with `pattern` added, through H.264 at REENCODE_CRF and back (even sizes: the
    last odd row or column is left out, which keeps the tile origin)."""
    height, width = (s // 2 * 2 for s in frames.shape[1:3])
    marked = _add(frames[:, :height, :width], pattern[:height, :width])
    with tempfile.TemporaryDirectory(prefix="vidora-watermark-") as folder:
        return read_mp4(write_mp4(Path(folder) / "reencoded.mp4", marked, 16, crf=REENCODE_CRF)).frames


def _cell_signs(payload: int) -> np.ndarray:
    """+-1 per cell: the sync signs and the scrambled, convolutionally coded payload."""
    bits = np.array([(payload >> (PAYLOAD_BITS - 1 - i)) & 1 for i in range(PAYLOAD_BITS)])
    coded = convcode.conv_encode(bits, _TRELLIS, termination="term")
    cells = np.empty(CELLS * CELLS)
    cells[_SYNC_INDEX] = _SYNC_SIGNS
    cells[_MESSAGE_INDEX] = (2.0 * coded - 1.0) * _SCRAMBLE
    return cells.reshape(CELLS, CELLS)


def _tiled(values: np.ndarray, cell: float, height: int, width: int) -> np.ndarray:
    """The frame-sized luma pattern: the band-limited periodic surface through the cell values,
    cell (i, j) at pixel (i * cell, j * cell), period CELLS * cell (need not be whole pixels)."""
    k = np.fft.fftfreq(CELLS, 1 / CELLS)[:, None]
    rows = np.exp(2j * np.pi * np.arange(height)[None, :] * k / (CELLS * cell))
    columns = np.exp(2j * np.pi * np.arange(width)[None, :] * k / (CELLS * cell))
    spectrum = np.fft.fft2(values) * _band(CELLS) / CELLS**2
    return (rows.T @ spectrum @ columns).real.astype(np.float32)



def _band(size: int) -> np.ndarray:
    """The tile's frequencies on a `size`-point grid: |k| < CELLS/2 on both axes, without the
    lowest ones (|k| <= 1 on both), where the picture's own gradients would swamp the mark."""
    k = np.abs(np.fft.fftfreq(size, 1 / size))
    keep, low = k < CELLS / 2, k <= 1
    return keep[:, None] & keep[None, :] & ~(low[:, None] & low[None, :])


def _average_luma(frames: np.ndarray) -> np.ndarray:
    total = np.zeros(frames.shape[1:3], np.float64)
    for frame in frames:
        total += frame.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    return (total / len(frames)).astype(np.float32)


def _identity_cells(average_luma: np.ndarray, cell: float) -> np.ndarray:
    """The cell values the detector reads from an unattacked clip (tile origin at the frame's)."""
    factor = _work_factor(cell)
    residual = _whitened(_block_mean(average_luma, factor), cell / factor)
    return _in_band(_fold(residual, cell / factor, 0.0))[::2, ::2]


# ---------------------------------------------------------------- detection

# Registration: candidate tile lattices (cell size and angle) are the unattacked one (cells
# scale with the frame, so pure resizing keeps it) and the strongest lattices in the
# autocorrelation of the residual (crops, rotations); each is tried on a small refining grid.
# Flips and quarter turns are the tile's symmetries, translations its cyclic half-cell shifts.
_CANDIDATES = 8
_REFINE_SCALES = np.exp([-0.006, 0.0, 0.006])
_REFINE_ANGLES = np.deg2rad([-0.4, 0.0, 0.4])
HYPOTHESES = _CANDIDATES * len(_REFINE_SCALES) * len(_REFINE_ANGLES) * 8 * 4 * CELLS * CELLS


def detect_watermark(frames: np.ndarray) -> WatermarkDetection:
    """Look for the mark in `frames` (uint8 (T, H, W, 3), H and W >= 48) without the original."""
    frames = _check_video(frames, MIN_DETECT_SIDE)
    average = _average_luma(frames)
    nominal = cell_size(*average.shape)
    factor = _work_factor(nominal)
    residual = _whitened(_block_mean(average, factor), nominal / factor)

    best_z, best_cells = -np.inf, np.zeros((CELLS, CELLS))
    for cell, angle in [(nominal / factor, 0.0), *_autocorrelation_lattices(residual, _CANDIDATES - 1)]:
        for scale in _REFINE_SCALES:
            for turn in _REFINE_ANGLES:
                z, cells = _best_registration(_fold(residual, cell * scale, angle + turn))
                if z > best_z:
                    best_z, best_cells = z, cells
        if p_value_of(best_z) <= FALSE_POSITIVE_RATE:
            break  # HYPOTHESES counts the whole search, so stopping early only lowers false alarms
    return WatermarkDetection(p_value=p_value_of(best_z), score=best_z, hypotheses=HYPOTHESES, cells=best_cells)


# Lattice points (in tile periods) whose autocorrelation peaks score a candidate lattice, and the
# half-period points that must not peak (else the true lattice is finer: a sub-lattice of it
# would score as well).
_NEAR_POINTS = np.array([(1, 0), (0, 1), (1, 1), (1, -1), (2, 0), (0, 2)])
_FAR_POINTS = np.array([(a, b) for a in range(-4, 5) for b in range(0, 5) if b > 0 or a > 0])
_HALF_POINTS = np.array([(0.5, 0), (0, 0.5), (0.5, 0.5), (0.5, -0.5), (1.5, 0), (0, 1.5)])


def _autocorrelation_lattices(residual: np.ndarray, count: int) -> list[tuple[float, float]]:
    """The `count` best (cell size, angle) lattices in the residual's autocorrelation: a coarse
    grid of periods and angles scored on near lattice points, then refined on far ones."""
    height, width = residual.shape
    shortest, longest = 2.0 * CELLS * 0.4, min(height, width) / 2  # cells of 0.8 px up to 2 tiles a side
    if longest <= shortest:
        return []
    acf = _autocorrelation(residual)
    smooth = ndimage.gaussian_filter(acf, 0.7)
    reach = 0.7 * min(height, width)
    periods = np.exp(np.arange(math.log(shortest), math.log(longest), 0.012))
    angles = np.deg2rad(np.arange(-45.0, 45.0, 1.0))
    grid_p, grid_a = np.meshgrid(periods, angles, indexing="ij")
    coarse = _lattice_score(smooth, grid_p.ravel(), grid_a.ravel(), _NEAR_POINTS, reach).reshape(grid_p.shape)
    peaks = (coarse == ndimage.maximum_filter(coarse, size=(9, 7), mode=("nearest", "wrap"))) & (coarse > 0)
    found = []
    for index in np.argsort(coarse[peaks])[::-1][:count]:
        p0, a0 = grid_p[peaks][index], grid_a[peaks][index]
        fine_p, fine_a = np.meshgrid(p0 * np.exp(np.linspace(-0.012, 0.012, 25)), a0 + np.deg2rad(np.linspace(-1, 1, 21)), indexing="ij")
        fine = _lattice_score(acf, fine_p.ravel(), fine_a.ravel(), _FAR_POINTS, reach)
        best = int(np.argmax(fine))
        found.append((float(fine_p.ravel()[best]) / CELLS, -float(fine_a.ravel()[best])))
    return found


def _lattice_score(acf: np.ndarray, periods: np.ndarray, angles: np.ndarray, points: np.ndarray, reach: float) -> np.ndarray:
    """Mean autocorrelation at the lattice points of square lattices of these periods and angles,
    less the mean at their half-period points."""
    return _mean_at(acf, periods, angles, points, reach) - _mean_at(acf, periods, angles, _HALF_POINTS, reach)


def _mean_at(acf: np.ndarray, periods: np.ndarray, angles: np.ndarray, points: np.ndarray, reach: float) -> np.ndarray:
    axis_a = np.stack([np.cos(angles), np.sin(angles)], -1) * periods[:, None]
    axis_b = np.stack([-np.sin(angles), np.cos(angles)], -1) * periods[:, None]
    lags = points[None, :, 0, None] * axis_a[:, None] + points[None, :, 1, None] * axis_b[:, None]
    inside = np.linalg.norm(lags, axis=-1) <= reach
    centre = (np.array(acf.shape) // 2).astype(float)
    values = ndimage.map_coordinates(acf, (lags + centre).reshape(-1, 2).T, order=1).reshape(inside.shape)
    return np.where(inside, values, 0.0).sum(1) / np.maximum(inside.sum(1), 1)


def _autocorrelation(residual: np.ndarray) -> np.ndarray:
    """Normalised linear autocorrelation (overlap-corrected), lag (0, 0) at the array's centre."""
    shape = (2 * residual.shape[0], 2 * residual.shape[1])
    power = np.abs(np.fft.rfft2(residual, shape)) ** 2
    overlap = np.fft.irfft2(np.abs(np.fft.rfft2(np.ones_like(residual), shape)) ** 2, shape)
    acf = np.fft.irfft2(power, shape) / np.maximum(overlap, 0.25 * residual.size)
    return np.fft.fftshift(acf / max(acf[0, 0], 1e-12))


def p_value_of(z: float) -> float:
    """The p-value of a sync score: HYPOTHESES times the tail bound of a unit-variance Rademacher
    sum, Hoeffding's exp(-z^2/2) or Pinelis' (2e^3/9) times the Gaussian tail, whichever is
    smaller (Bentkus and Dzindzalieta 2015 show the best such factor is 3.18, so 4.46 is safe)."""
    if z <= 0:
        return 1.0
    tail = min(math.exp(-z * z / 2), 2 * math.e**3 / 9 * 0.5 * math.erfc(z / math.sqrt(2)))
    return min(1.0, HYPOTHESES * tail)


def _work_factor(cell: float) -> int:
    """Block-averaging factor that brings cells to 2-4 pixels, so detection cost does not grow
    with the frame size."""
    return max(1, int(cell // 2))


def _block_mean(image: np.ndarray, factor: int) -> np.ndarray:
    if factor == 1:
        return image
    height, width = (s // factor * factor for s in image.shape)
    return image[:height, :width].reshape(height // factor, factor, width // factor, factor).mean(axis=(1, 3))


def _whitened(luma: np.ndarray, cell: float) -> np.ndarray:
    """The frame average minus its median-filtered self, outliers clipped: flat areas, gradients
    and edges of the picture mostly gone, the smooth cell pattern left."""
    residual = luma - ndimage.median_filter(luma, size=2 * round(cell) + 3)
    spread = 1.4826 * float(np.median(np.abs(residual))) + 1e-6
    return np.clip(residual, -2 * spread, 2 * spread)


def _fold(residual: np.ndarray, cell: float, angle: float) -> np.ndarray:
    """Average the residual onto one tile (a _SAMPLES-square grid, two samples per cell) by
    bilinear splatting, for cells of `cell` pixels turned by `angle`."""
    height, width = residual.shape
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    cos, sin = math.cos(angle), math.sin(angle)
    per_sample = 2.0 / cell
    gy = ((cos * yy - sin * xx) * per_sample) % _SAMPLES
    gx = ((sin * yy + cos * xx) * per_sample) % _SAMPLES
    by, bx = np.floor(gy).astype(int), np.floor(gx).astype(int)
    fy, fx = (gy - by).ravel(), (gx - bx).ravel()
    by, bx = by.ravel(), bx.ravel()
    values = residual.ravel()
    sums = np.zeros(_SAMPLES * _SAMPLES)
    weights = np.zeros(_SAMPLES * _SAMPLES)
    for dy in (0, 1):
        for dx in (0, 1):
            w = (fy if dy else 1 - fy) * (fx if dx else 1 - fx)
            index = ((by + dy) % _SAMPLES) * _SAMPLES + (bx + dx) % _SAMPLES
            sums += np.bincount(index, w * values, _SAMPLES * _SAMPLES)
            weights += np.bincount(index, w, _SAMPLES * _SAMPLES)
    return (sums / np.maximum(weights, 1e-9)).reshape(_SAMPLES, _SAMPLES)


def _in_band(folded: np.ndarray) -> np.ndarray:
    """The folded tile limited to the pattern's band (the matched filter for the cells)."""
    return np.fft.ifft2(np.fft.fft2(folded) * _band(_SAMPLES)).real


_SYNC_MAP = np.zeros(CELLS * CELLS)
_SYNC_MAP[_SYNC_INDEX] = _SYNC_SIGNS
_SYNC_SPECTRUM = np.conj(np.fft.fft2(_SYNC_MAP.reshape(CELLS, CELLS)))
_SYNC_MASK_SPECTRUM = np.conj(np.fft.fft2((_SYNC_MAP != 0).reshape(CELLS, CELLS).astype(float)))


def _best_registration(folded: np.ndarray) -> tuple[float, np.ndarray]:
    """Best normalised sync correlation over flips, quarter turns and cyclic half-cell shifts of
    the folded tile, and the cell values (aligned to the key) there."""
    in_band = _in_band(folded)
    # All 8 symmetries x 4 half-cell phases as one batch of cell grids, scored by batched FFTs.
    cells = np.stack([v[row::2, column::2] for v in _dihedral(in_band) for row in (0, 1) for column in (0, 1)])
    corr = np.fft.ifft2(_SYNC_SPECTRUM * np.fft.fft2(cells)).real
    energy = np.fft.ifft2(_SYNC_MASK_SPECTRUM * np.fft.fft2(cells**2)).real
    z = corr / np.sqrt(np.maximum(energy, 1e-12))
    grid, row, column = np.unravel_index(int(np.argmax(z)), z.shape)
    return float(z[grid, row, column]), np.roll(cells[grid], (-row, -column), axis=(0, 1))


def _dihedral(tile: np.ndarray):
    for turned in (tile, tile.T):
        for quarter in range(4):
            yield np.rot90(turned, quarter)


def _decode(cells: np.ndarray) -> int:
    """Viterbi-decode the payload cells (soft values scaled by the sync cells' amplitude)."""
    flat = cells.ravel()
    amplitude = abs(float(np.mean(flat[_SYNC_INDEX] * _SYNC_SIGNS))) + 1e-12
    soft = flat[_MESSAGE_INDEX] * _SCRAMBLE / amplitude
    bits = convcode.viterbi_decode(soft, _TRELLIS, decoding_type="unquantized")[:PAYLOAD_BITS]
    return int("".join(str(int(b)) for b in bits), 2)
