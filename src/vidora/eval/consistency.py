"""Temporal consistency: do things stay what and where they are from frame to frame?

Four measures, from tracks (see ``vidora.eval.tracks``) and the frames:

* identity persistence, share in [0, 1]: of the frames where a track is seen,
  the share in which that frame's reading names the track's overall label
  (a ball that turns into a star for a few frames loses them).
* object permanence, share in [0, 1]: of the tracks, the share that never
  vanish or appear out of nowhere. A track ending (or starting) is excused at
  the frame border (the object left or entered the view), at a cut, and next
  to another tracked object (it went behind or came out from behind it).
* flicker, in 0-255 levels: the typical frame-to-frame change of a pixel
  (per pixel the median over time of the mean absolute RGB change, then the
  mean over pixels). Moving objects cover any one pixel for only a few
  frames, so the median reads the background: a steady camera on a steady
  scene gives about 0; a pan or drifting clouds give some; a background that
  shimmers or pulses gives a lot. Compare with the real render of the same
  spec (``flicker_excess``).
* motion roughness, dimensionless: over all tracks, the summed size of
  frame-to-frame *changes* of displacement divided by the summed size of the
  displacements. Steady motion scores near 0, a bounce adds a little, and
  positions in random order score about sqrt(3) (second differences of
  independent points are sqrt(3) times larger than first differences).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from vidora.eval.tracks import Track

EDGE_MARGIN = 0.06  # share of the frame size along the border where objects may leave or enter
OCCLUDER_REACH = 0.2  # share of the frame height within which another object may hide one
MIN_TRAVEL = 2.0  # pixels a track must move in total for its roughness to count


@dataclass
class ConsistencyReport:
    identity_persistence: float  # [0, 1]; NaN with no per-frame readings
    permanence: float  # [0, 1]; NaN with no tracks
    unexplained_vanishings: int  # mid-frame disappearances and appearances, over all tracks
    flicker: float  # 0-255 levels
    flicker_excess: float  # flicker minus the baseline clip's; NaN without a baseline
    motion_roughness: float  # dimensionless; NaN if nothing moved

    def summary(self) -> dict[str, float]:
        return {
            "identity_persistence": self.identity_persistence,
            "object_permanence": self.permanence,
            "unexplained_vanishings": float(self.unexplained_vanishings),
            "flicker": self.flicker,
            "flicker_excess": self.flicker_excess,
            "motion_roughness": self.motion_roughness,
        }


def identity_persistence(tracks: list[Track]) -> float:
    """Share of seen track-frames whose reading matches the track's label.

    Tracks without per-frame readings (``frame_labels`` empty) say nothing and are left out.
    """
    kept = seen = 0
    for track in tracks:
        if not track.frame_labels:
            continue
        for k in np.flatnonzero(track.present):
            seen += 1
            kept += k < len(track.frame_labels) and track.frame_labels[k] == track.label
    return kept / seen if seen else float("nan")


def unexplained_vanishings(track: Track, others: list[Track], width: int, height: int, cuts: Sequence[int] = ()) -> int:
    """Times this track disappears or appears away from the border, a cut or another object."""
    present = track.present
    events = 0
    for k in range(1, len(present)):
        if present[k] == present[k - 1] or k in cuts:
            continue
        last_seen = k - 1 if present[k - 1] else k  # where it was just before vanishing / just after appearing
        x, y = track.xy[last_seen]
        margin = EDGE_MARGIN * min(width, height)
        at_border = x < margin or y < margin or x > width - margin or y > height - margin
        near_other = any(
            np.hypot(*(o.xy[j] - track.xy[last_seen])) < OCCLUDER_REACH * height
            for o in others
            for j in (k - 1, k)
            if o.present[j]
        )
        events += not (at_border or near_other)
    return events


def flicker(frames: np.ndarray, cuts: Sequence[int] = ()) -> float:
    """Typical per-pixel frame-to-frame change (0-255 levels), ignoring changes across cuts."""
    f = np.asarray(frames, dtype=np.float32)
    if len(f) < 2:
        return 0.0
    change = np.abs(np.diff(f, axis=0)).mean(axis=-1)  # (T-1, H, W); row d is frame d to d+1
    keep = np.array([d + 1 not in cuts for d in range(len(change))])
    if not keep.any():
        return 0.0
    return float(np.median(change[keep], axis=0).mean())


def motion_roughness(tracks: list[Track], cuts: Sequence[int] = ()) -> float:
    """Summed |second difference| over summed |first difference| of track positions."""
    rough = travel = 0.0
    for track in tracks:
        steps = np.diff(track.xy, axis=0)
        for c in cuts:
            if 0 < c < len(track.xy):
                steps[c - 1] = np.nan  # a cut moves everything at once
        bend = np.linalg.norm(np.diff(steps, axis=0), axis=1)
        step = np.linalg.norm(steps, axis=1)
        both = ~np.isnan(bend)  # two consecutive steps seen
        if np.nansum(step) < MIN_TRAVEL:
            continue
        rough += float(bend[both].sum())
        travel += float(((step[1:] + step[:-1]) / 2)[both].sum())
    return rough / travel if travel else float("nan")


def consistency_report(
    tracks: list[Track],
    frames: np.ndarray,
    cuts: Sequence[int] = (),
    baseline_frames: np.ndarray | None = None,
) -> ConsistencyReport:
    """All four measures for one clip.

    ``cuts`` are frames that start a new shot (the truth's shot starts other
    than 0, or the detector's cuts); ``baseline_frames`` the real render of the
    same spec, to report flicker beyond what the scene itself has.
    """
    height, width = frames.shape[1:3]
    events = [
        unexplained_vanishings(t, [o for o in tracks if o is not t], width, height, cuts) for t in tracks
    ]
    clip_flicker = flicker(frames, cuts)
    return ConsistencyReport(
        identity_persistence=identity_persistence(tracks),
        permanence=float(np.mean([e == 0 for e in events])) if tracks else float("nan"),
        unexplained_vanishings=int(sum(events)),
        flicker=clip_flicker,
        flicker_excess=clip_flicker - flicker(baseline_frames, cuts) if baseline_frames is not None else float("nan"),
        motion_roughness=motion_roughness(tracks, cuts),
    )
