"""What the evaluator sees in a clip: per-frame detections linked into tracks.

Everything downstream (faithfulness, physics, sync, consistency) works on
tracks, so it does not care whether they came from the detector or, in tests,
from the renderer's ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Detection:
    frame: int
    x: float  # centroid, pixels, x right
    y: float  # centroid, pixels, y down
    area: float  # pixels
    kind: str  # "shape" or "character"
    colour: str | None = None
    shape: str | None = None
    character: str | None = None  # roster name of the best-matching character
    clipped: bool = False  # cut by the frame border, so its outline says little
    # How much worse each roster character fits than the best one (0 for the best), for
    # characters; a track sums these over its frames to name its character.
    character_misfit: np.ndarray | None = None


@dataclass
class Track:
    """One object followed through the clip; NaN where it was not seen."""

    kind: str
    colour: str | None
    shape: str | None
    character: str | None
    xy: np.ndarray  # (T, 2) pixel centroids
    area: np.ndarray  # (T,)
    frame_labels: list[str | None] = field(default_factory=list)  # what each frame read it as
    clipped: np.ndarray | None = None  # (T,) True where the frame border cut it
    # For character tracks: how much worse each roster character fits the track's detections
    # than the best one, on average (see Detection.character_misfit).
    character_misfit: np.ndarray | None = None

    @property
    def whole(self) -> np.ndarray:
        """Frames where the object was seen entire (not cut by the border)."""
        return self.present if self.clipped is None else self.present & ~self.clipped

    @property
    def present(self) -> np.ndarray:
        return ~np.isnan(self.xy[:, 0])

    @property
    def label(self) -> str:
        return self.character if self.kind == "character" else f"{self.colour} {self.shape}"


def tracks_from_truth(truth: dict, min_visibility: float = 0.3) -> list[Track]:
    """Tracks as a perfect detector would report them, from a clip's ground truth."""
    tracks = []
    for obj in truth["objects"]:
        xy = np.array(obj["screen"], dtype=float)
        seen = np.array(obj["visibility"]) >= min_visibility
        xy[~seen] = np.nan
        tracks.append(
            Track(
                kind=obj["kind"],
                colour=obj["colour"],
                shape=obj["shape"],
                character=obj["character"],
                xy=xy,
                area=np.where(seen, 1.0, np.nan),
                frame_labels=[(obj["character"] if obj["kind"] == "character" else f"{obj['colour']} {obj['shape']}") if s else None for s in seen],
            )
        )
    return tracks
