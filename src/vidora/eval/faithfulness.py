"""Prompt faithfulness: does the clip show what the prompt asked for?

Each metric is an accuracy in [0, 1] for one clip, or None when the prompt
asks nothing it could check (no moving object, no character, ...):

* background, style, cuts: the clip's reading equals the prompt's.
* colour, shape: expected objects are matched one-to-one to tracks
  (Hungarian, preferring the same colour and shape); the share whose match
  has the right colour / the right shape.
* count: over every (colour, shape) the prompt or the clip names, the share
  whose number of objects seen at once (whole, not cut by the border) equals
  the number asked for.
* direction: for objects asked to move left/right/up/down, the share whose
  first moves, corrected for camera pan and zoom, go that way. A character is judged by
  the track read as it, else by another character track (its identity is the
  character metric's business).
* character: the share of named characters that a track recognises.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.optimize import linear_sum_assignment

from vidora.eval.detect import Reading
from vidora.eval.tracks import Track
from vidora.world.captions import SceneDescription

FAITHFULNESS_METRICS = ("background", "style", "colour", "shape", "count", "direction", "character", "cuts")
DIRECTION_MAX_FRAMES = 10  # frames an object is followed to judge where it first heads
DIRECTION_MOVE_PX = 3.0  # a move this long (pixels) along the asked axis shows the heading


def substantial(track: Track, T: int) -> bool:
    """Tracks seen whole for a few frames at least; shorter ones are detection
    noise, and an object only ever seen cut by the border cannot be named."""
    return track.whole.sum() >= max(3, round(0.15 * T))


def faithfulness(reading: Reading, expected: SceneDescription) -> dict[str, float | None]:
    """Per-clip accuracies (see module doc) of a reading against what the prompt asked."""
    T = len(reading.detections)
    tracks = [t for t in reading.tracks if substantial(t, T)]
    shapes = [t for t in tracks if t.kind == "shape"]
    wanted = [g for g in expected.groups for _ in range(g.count)]
    result: dict[str, float | None] = {
        "background": float(reading.background == expected.background),
        "style": float(reading.style == expected.style),
        "cuts": float(len(reading.cuts) == expected.cuts),
    }
    matches = _match_objects(wanted, shapes, reading)
    if wanted:
        result["colour"] = float(np.mean([m is not None and m.colour == g.colour for g, m in zip(wanted, matches)]))
        result["shape"] = float(np.mean([m is not None and m.shape == g.shape for g, m in zip(wanted, matches)]))
    else:
        result["colour"] = result["shape"] = None
    result["count"] = _count_accuracy(expected.counts(), shapes, T)
    movers = [(g.direction, m) for g, m in zip(wanted, matches) if g.direction]
    characters = sorted((t for t in tracks if t.kind == "character"), key=lambda t: int(np.argmax(t.present)))
    names: dict[str, Track] = {}
    for t in characters:
        names.setdefault(t.character, t)  # the earliest track shows where a character first heads
    movers += [(c.direction, m) for c, m in zip(expected.characters, _match_characters(expected.characters, characters)) if c.direction]
    if movers:
        result["direction"] = float(np.mean([m is not None and heading(m, reading, _axis(d)) == d for d, m in movers]))
    else:
        result["direction"] = None
    if expected.characters:
        result["character"] = float(np.mean([c.name in names for c in expected.characters]))
    else:
        result["character"] = None
    return result


def _match_objects(wanted, shapes: list[Track], reading: Reading) -> list[Track | None]:
    """Pair each asked-for object with a track. Objects of the same colour and
    shape look alike, so among them the pairing that fits their asked-for
    motion wins; remaining ties go to the track seen earliest, then longest."""
    def cost(g, t: Track) -> float:
        c = (g.colour != t.colour) + (g.shape != t.shape) + 1e-2 * int(np.argmax(t.whole)) - 1e-4 * t.whole.sum()
        if g.direction:
            c += 0.5 * (heading(t, reading, _axis(g.direction)) != g.direction)
        return c

    return _assign(wanted, shapes, cost)


def _match_characters(asked, characters: list[Track]) -> list[Track | None]:
    """Pair each asked-for character with a character track, for its motion: the
    track read as that character if there is one, else another character's (a
    look-alike misread still shows where the character went); earliest first."""
    rank = {id(t): i for i, t in enumerate(characters)}  # they come sorted by first appearance
    return _assign(asked, characters, lambda c, t: (c.name != t.character) + 1e-2 * rank[id(t)])


def _assign(wanted: list, tracks: list[Track], cost) -> list[Track | None]:
    """The one-to-one pairing of ``wanted`` with ``tracks`` of least total ``cost(wanted, track)``
    (None for those left over)."""
    if not wanted or not tracks:
        return [None] * len(wanted)
    table = np.array([[cost(w, t) for t in tracks] for w in wanted], dtype=float)
    out: list[Track | None] = [None] * len(wanted)
    for r, c in zip(*linear_sum_assignment(table)):
        out[r] = tracks[c]
    return out


def _axis(direction: str) -> str:
    return "x" if direction in ("left", "right") else "y"


def _count_accuracy(asked: Counter, shapes: list[Track], T: int) -> float | None:
    seen: Counter = Counter()
    for key in {(t.colour, t.shape) for t in shapes}:
        same = [t.whole for t in shapes if (t.colour, t.shape) == key]
        seen[key] = int(np.max(np.sum(same, axis=0)))
    keys = set(asked) | set(seen)
    if not keys:
        return None
    return float(np.mean([asked[k] == seen[k] for k in keys]))


def heading(track: Track, reading: Reading, axis: str) -> str | None:
    """Where a track first moves along ``axis`` ("x": left/right, "y": up/down),
    with the camera's pan and zoom taken out. An object that starts at rest (a
    fall) or slowly is followed until it has clearly moved, over a few more
    frames; a fast one is judged before any bounce. A sideways throw may start
    mostly upward, so the prompt's axis is judged, not the dominant one.
    """
    frames = np.nonzero(track.present)[0][:DIRECTION_MAX_FRAMES]
    if len(frames) < 2:
        return None
    along = reading.undo_camera(track.xy[frames], frames)[:, 0 if axis == "x" else 1]
    moved = along - along[0]
    far = np.nonzero(np.abs(moved) >= DIRECTION_MOVE_PX)[0]
    if far.size:
        forward = moved[far[0]] > 0
    else:
        forward = np.polyfit(frames, along, 1)[0] > 0
    if axis == "x":
        return "right" if forward else "left"
    return "down" if forward else "up"
