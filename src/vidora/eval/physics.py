"""Physics of a clip's motion: does it move the way the Vidora world's laws say?

Everything here works on tracks (pixel centroids per frame, see
``vidora.eval.tracks``) mapped back into world units through the camera path
the scene spec prescribes, so a pan, zoom or cut is not mistaken for motion.
Velocities are in world units per *simulated* second, the world's own clock
(``spec.speed`` simulated seconds pass per played second), so a slow-motion
clip is judged by the same laws as a normal one.

Velocity error (after Kang et al. 2024, "How Far is Video Generation from World
Model: A Physical Law Perspective"): each object's initial position and
velocity are read off the clip's first ``FIT_FRAMES`` frames, written into a
copy of the spec and re-simulated; the clip's frame-to-frame velocities are
then compared with the simulated ones in every later frame. Comparing in world
units through the spec's camera is the same as comparing on screen and
dividing by pixels per world unit. The clip's own render is not exact either
(positions are read from pixels), so compare a generated clip's error with
``physics_floor``: the same measure on the real render of the same spec.

Plausibility: law checks that need no re-simulation, each a share in [0, 1]:

* gravity: between velocity jumps (bounces, collisions), a quadratic fit of
  the path must accelerate as the world does: ``-GRAVITY`` vertically for
  free objects under gravity (anything from 0 to free fall while supported
  by the floor or another object), 0 for floating ones. Segment score
  ``1 - miss / GRAVITY``, clipped to [0, 1], weighted by segment length,
  where the miss is how far the fitted acceleration lies from the allowed
  ones beyond what pixel rounding alone could cause.
* floor: share of frames where the object is not sunk below the floor.
* contacts: share of velocity jumps that have a cause (the object touches
  the floor, a wall, the ceiling or another tracked object) and, at the box,
  do not gain speed (restitution is at most 1). Shuffled frames jump in
  mid-air; reversed ones gain speed at every bounce.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.optimize import linear_sum_assignment

from vidora.eval.tracks import Track, tracks_from_truth
from vidora.world import vocab
from vidora.world.camera import camera_path
from vidora.world.characters import roster
from vidora.world.clip import WorldClip, render_clip
from vidora.world.physics import FLOATING, ROLL_FRICTION, simulate
from vidora.world.spec import ObjectSpec, SceneSpec

FIT_FRAMES = 3  # frames the initial state is read from
MIN_SPEED = 1.0  # world units / s; floor of the speed a relative error is divided by
JUMP_SPEED = 1.0  # world units / s; smaller velocity changes are not counted as impacts
JITTER_FACTOR = 3.0  # a jump must also exceed this many robust standard deviations of the path's jitter
REST_TOLERANCE = 0.15  # world units above the floor that still count as resting on it
FLOOR_TOLERANCE = 0.25  # world units an object may dip below the floor (centroid noise)
CONTACT_TOLERANCE = 0.35  # world units between surfaces that still count as touching
PIXEL_NOISE = 12**-0.5  # pixels: spread of a position rounded to whole pixels
SPEED_GAIN_TOLERANCE = 0.1  # share of its speed a bounce may seem to gain (measurement noise) ...
SPEED_GAIN_SLACK = 0.3  # ... plus this many world units / s


# --- coordinates and matching -----------------------------------------------------

def camera_rows(spec: SceneSpec) -> np.ndarray:
    """(T, 3) camera rows (cx, cy, view height) the spec prescribes for every frame."""
    return camera_path(spec, simulate(spec))


def to_world(xy: np.ndarray, cams: np.ndarray, width: int, height: int) -> np.ndarray:
    """Map (T, 2) pixel centroids to world units, frame by frame; NaN stays NaN.

    The pixels must be those of a ``width`` x ``height`` frame seen through ``cams``.
    """
    if len(xy) != len(cams):
        raise ValueError(f"a track of {len(xy)} frames cannot be placed with a camera path of {len(cams)} frames")
    scale = height / cams[:, 2]
    x = (xy[:, 0] - width / 2) / scale + cams[:, 0]
    y = cams[:, 1] - (xy[:, 1] - height / 2) / scale
    return np.stack([x, y], axis=1)


def object_label(obj: ObjectSpec) -> str:
    """The label a track of this object carries (``Track.label``)."""
    return roster()[obj.character].name if obj.is_character else f"{obj.colour} {obj.shape}"


def match_objects(tracks: list[Track], spec: SceneSpec, cams: np.ndarray) -> dict[int, Track]:
    """Pair spec objects with tracks of the same label, nearest to the spec's own path.

    Objects with no track of their label are left out; among several tracks of
    one label (a detector restarts tracks at cuts) the one closest to the
    object's simulated path on average wins.
    """
    pos = simulate(spec).pos
    labels = [object_label(o) for o in spec.objects]
    cost = np.full((len(spec.objects), len(tracks)), np.inf)
    for j, track in enumerate(tracks):
        world = to_world(track.xy, cams, spec.width, spec.height)
        seen = ~np.isnan(world[:, 0])
        for i, label in enumerate(labels):
            if track.label == label and seen.any():
                cost[i, j] = float(np.mean(np.linalg.norm(world[seen] - pos[seen, i], axis=1)))
    if not np.isfinite(cost).any():
        return {}
    rows, cols = linear_sum_assignment(np.where(np.isfinite(cost), cost, 1e9))
    return {int(i): tracks[j] for i, j in zip(rows, cols) if np.isfinite(cost[i, j])}


# --- velocity jumps ---------------------------------------------------------------

@dataclass
class VelocityJump:
    """A sudden change of velocity (a bounce or a collision) found in a path."""

    frame: float  # when, in (fractional) frames from the clip start
    position: np.ndarray  # (2,) world units, where the object was at that moment
    before: np.ndarray  # (2,) velocity just before, world units per second of ``frame_dt``'s clock
    after: np.ndarray  # (2,) velocity just after


def velocity_jumps(
    world: np.ndarray, frame_dt: float, min_jump: float = JUMP_SPEED, jitter: float | None = None
) -> list[VelocityJump]:
    """Bounces and collisions in a (T, 2) path (NaN where unseen), timed to a fraction of a frame.

    Between impacts the acceleration is constant, so second differences of
    position are flat. An impact at time k + f inside frame interval (k, k+1)
    that changes velocity by dv adds dv*dt*(1-f) to the second difference at
    frame k and dv*dt*f to the one at k+1: their sum gives the size of the jump,
    their ratio where in the interval it happened. The flat baseline is the
    local median of second differences. Each axis is searched on its own (a
    corner bounce hits the floor and a wall at different moments); jumps on
    both axes less than a third of a frame apart are one impact. Impacts in the
    first or last frame interval cannot be seen (no frames on one side).

    A jump counts if its size is at least ``min_jump`` (world units per second
    of the ``frame_dt`` clock) and at least JITTER_FACTOR times the path's
    jitter: the spread of its second differences (world units), given as
    ``jitter`` or else estimated robustly from the path itself, so a noisy
    detector track does not bounce at every frame.
    """
    T = len(world)
    if T < 4:
        return []
    second = np.full((T, 2), np.nan)
    second[1:-1] = world[2:] - 2 * world[1:-1] + world[:-2]
    baseline = np.full((T, 2), np.nan)
    size = np.zeros((T, 2))
    share_after = np.zeros((T, 2))
    for k in range(1, T - 2):
        pair = second[k] + second[k + 1]
        if np.isnan(pair).any():
            continue
        # Median over three frames either side of the pair: the pair itself cannot outvote the rest.
        baseline[k] = np.nanmedian(second[max(k - 3, 1) : k + 5], axis=0)
        jump = pair - 2 * baseline[k]
        size[k] = np.abs(jump)
        share_after[k] = np.clip((second[k + 1] - baseline[k]) / np.where(jump == 0, np.inf, jump), 0, 1)
    if jitter is None:
        # A detector's centroids jitter (outlines, rotating sprites); a jump must stand out of that.
        deviation = np.abs(second - baseline)
        seen = ~np.isnan(deviation)
        jitter = np.array([1.4826 * np.median(deviation[seen[:, a], a]) if seen[:, a].any() else 0.0 for a in range(2)])
    floor = np.maximum(min_jump * frame_dt, JITTER_FACTOR * np.broadcast_to(jitter, (2,)))
    found: list[tuple[float, int, float]] = []  # (time, interval, size)
    for axis in range(2):
        s = size[:, axis]
        for k in range(1, T - 2):
            if s[k] >= floor[axis] and s[k] >= s[k - 1] and s[k] > s[k + 1]:
                found.append((k + share_after[k, axis], k, s[k]))
    merged: list[tuple[float, int, float]] = []
    for event in sorted(found):
        if merged and event[0] - merged[-1][0] < 1 / 3:
            if event[2] > merged[-1][2]:
                merged[-1] = event
            continue
        merged.append(event)
    jumps = []
    for time, k, _ in merged:
        f, b = time - k, baseline[k]
        before = (world[k] - world[k - 1] + b * (f + 0.5)) / frame_dt
        after = (world[k + 2] - world[k + 1] - b * (1.5 - f)) / frame_dt
        jumps.append(VelocityJump(frame=float(time), position=world[k] + before * f * frame_dt, before=before, after=after))
    return jumps


# --- velocity error ----------------------------------------------------------------

def estimate_initial_state(world: np.ndarray, obj: ObjectSpec, frame_dt: float) -> tuple[float, float, float, float]:
    """(x, y, vx, vy) at frame 0 from the first FIT_FRAMES frames of a world path.

    Least squares under the world's law of motion for this object (free fall
    for objects under gravity, constant velocity for floating ones), which is
    far less sensitive to pixel noise than a free quadratic. An object under
    gravity that sits on the floor is resting there, slowed only by friction.
    """
    head = world[:FIT_FRAMES]
    r = obj.radius
    t = np.arange(FIT_FRAMES) * frame_dt
    under_gravity = obj.motion not in FLOATING
    resting = under_gravity and head[:, 1].mean() - r < REST_TOLERANCE and np.ptp(head[:, 1]) < REST_TOLERANCE
    accel = np.array([0.0, -vocab.GRAVITY if under_gravity else 0.0])
    if resting:
        accel = np.array([-np.sign(head[-1, 0] - head[0, 0]) * ROLL_FRICTION, 0.0])
    design = np.stack([np.ones_like(t), t], axis=1)
    (x, vx), (y, vy) = (np.linalg.lstsq(design, head[:, a] - 0.5 * accel[a] * t**2, rcond=None)[0] for a in range(2))
    if resting:
        y, vy = r, 0.0
    x = float(np.clip(x, r, vocab.WORLD_W - r))
    y = float(np.clip(y, r, vocab.WORLD_H - r))
    return x, y, float(vx), float(vy)


@dataclass
class ObjectPhysics:
    index: int  # spec object
    label: str
    velocity_error: float  # world units / simulated s: mean |v_clip - v_resimulated| over compared frames
    relative_error: float  # velocity_error / max(mean re-simulated speed, MIN_SPEED)
    compared: int  # frame intervals compared (0, and NaN errors, if the initial state was not seen)
    gravity: float  # [0, 1], see module docstring; NaN if no segment was long enough
    floor: float  # [0, 1] share of frames not below the floor
    contacts: float  # [0, 1] share of velocity jumps with a cause; NaN if there were none
    jumps: list[VelocityJump] = field(default_factory=list)

    @property
    def plausibility(self) -> float:
        scores = [s for s in (self.gravity, self.floor, self.contacts) if not np.isnan(s)]
        return float(np.mean(scores))


@dataclass
class PhysicsReport:
    velocity_error: float  # world units / simulated s, mean over every compared interval of every object
    relative_error: float  # total velocity error / total re-simulated speed (speeds floored at MIN_SPEED)
    plausibility: float  # [0, 1], mean over measured objects of the mean of their law-check scores
    objects: list[ObjectPhysics]
    skipped: dict[int, str]  # spec object index -> why it was not measured

    def summary(self) -> dict[str, float]:
        return {
            "velocity_error": self.velocity_error,
            "relative_velocity_error": self.relative_error,
            "plausibility": self.plausibility,
            "objects_measured": float(len(self.objects)),
            "objects_skipped": float(len(self.skipped)),
        }


def physics_report(tracks: list[Track], spec: SceneSpec, cams: np.ndarray | None = None) -> PhysicsReport:
    """Velocity error against re-simulation, and law-check plausibility, of a clip's tracks.

    ``spec`` is the scene the clip should show (the prompt's spec for a
    generated clip); ``cams`` the clip's camera rows, by default the ones the
    spec prescribes. Objects without a matching track are skipped; objects
    whose track misses any of the first FIT_FRAMES frames get law checks but
    no velocity error (NaN). ``skipped`` says which and why. Objects whose
    initial state could not be read keep their spec state in the re-simulation.
    """
    cams = camera_rows(spec) if cams is None else cams
    frame_dt = spec.speed / spec.fps
    worlds = {i: to_world(t.xy, cams, spec.width, spec.height) for i, t in match_objects(tracks, spec, cams).items()}
    skipped: dict[int, str] = {}
    replay = copy.deepcopy(spec)
    for i, obj in enumerate(spec.objects):
        if i not in worlds:
            skipped[i] = f"no track labelled {object_label(obj)!r}"
        elif np.isnan(worlds[i][:FIT_FRAMES]).any():
            skipped[i] = f"not seen in all of the first {FIT_FRAMES} frames: no velocity error"
        else:
            o = replay.objects[i]
            o.x, o.y, o.vx, o.vy = estimate_initial_state(worlds[i], obj, frame_dt)
    predicted = simulate(replay).pos
    objects = []
    all_errors, all_speeds = [], []
    for i, world in sorted(worlds.items()):
        errors = np.zeros(0)
        speed = MIN_SPEED
        if i not in skipped:
            v_clip = np.diff(world, axis=0) / frame_dt
            v_sim = np.diff(predicted[:, i], axis=0) / frame_dt
            # Intervals ending after the fit frames: what the initial state had to predict.
            compare = ~np.isnan(v_clip[:, 0]) & (np.arange(len(v_clip)) + 1 >= FIT_FRAMES)
            errors = np.linalg.norm(v_clip[compare] - v_sim[compare], axis=1)
            if compare.any():
                speed = max(float(np.linalg.norm(v_sim[compare], axis=1).mean()), MIN_SPEED)
            all_errors.append(errors)
            all_speeds.append(np.full(errors.size, speed))
        error = float(errors.mean()) if errors.size else float("nan")
        objects.append(_law_checks(i, spec, worlds, cams, frame_dt, error, error / speed, errors.size))
    errors, speeds = np.concatenate(all_errors or [np.zeros(0)]), np.concatenate(all_speeds or [np.zeros(0)])
    return PhysicsReport(
        velocity_error=float(errors.mean()) if errors.size else float("nan"),
        relative_error=float(errors.sum() / speeds.sum()) if errors.size else float("nan"),
        plausibility=float(np.mean([o.plausibility for o in objects])) if objects else float("nan"),
        objects=objects,
        skipped=skipped,
    )


def physics_floor(
    spec: SceneSpec, read_tracks: Callable[[WorldClip], list[Track]] | None = None
) -> PhysicsReport:
    """What an exact clip of ``spec`` scores: the report on its real render.

    ``read_tracks`` turns the rendered clip into tracks; by default the ground
    truth's (a perfect detector), or pass e.g.
    ``lambda clip: read_clip(clip.frames).tracks`` for the classical detector,
    whose floor includes its pixel-level centroid noise.
    """
    clip = render_clip(spec)
    tracks = read_tracks(clip) if read_tracks else tracks_from_truth(clip.truth)
    return physics_report(tracks, spec, np.array(clip.truth["camera"]))


# --- law checks ---------------------------------------------------------------------

def _law_checks(
    i: int, spec: SceneSpec, worlds: dict[int, np.ndarray], cams: np.ndarray, frame_dt: float,
    error: float, relative: float, compared: int,
) -> ObjectPhysics:
    obj = spec.objects[i]
    r = obj.radius
    world = worlds[i]
    seen = ~np.isnan(world[:, 0])
    # Judge the path against pixel rounding, not against its own jitter: a path
    # in random order would otherwise pass as one smooth, if wild, segment.
    rounding = np.sqrt(6) * PIXEL_NOISE * float(np.median(cams[:, 2])) / spec.height
    jumps = velocity_jumps(world, frame_dt, jitter=rounding)
    floor = float(np.mean(world[seen, 1] - r >= -FLOOR_TOLERANCE))
    return ObjectPhysics(
        index=i,
        label=object_label(obj),
        velocity_error=error,
        relative_error=relative,
        compared=compared,
        gravity=_gravity_score(i, spec, jumps, worlds, frame_dt, cams[:, 2] / spec.height),
        floor=floor,
        contacts=_contact_score(i, spec, jumps, worlds),
        jumps=jumps,
    )


def _gravity_score(
    i: int, spec: SceneSpec, jumps: list[VelocityJump], worlds: dict[int, np.ndarray], frame_dt: float,
    units_per_pixel: np.ndarray,
) -> float:
    """Length-weighted agreement of each segment's fitted acceleration with the law.

    A free object under gravity must accelerate at (0, -GRAVITY), a floating
    one at 0. One that touches the floor or another object all through the
    segment is supported: a support can only push, so it may accelerate
    anywhere from resting (0) to free fall, including sliding off a curved
    support; those accelerations fill the disc with diameter (0, 0)-(0, -GRAVITY).
    Misses up to twice what pixel rounding alone would cause are forgiven.
    """
    world = worlds[i]
    obj = spec.objects[i]
    cuts = [int(np.floor(j.frame)) + 1 for j in jumps]  # first frame after each jump
    seen = ~np.isnan(world[:, 0])
    under_gravity = obj.motion not in FLOATING
    scores, weights = [], []
    for start, end in zip([0] + cuts, cuts + [len(world)]):
        for run in _runs(seen[start:end]):
            frames = np.arange(run.start, run.stop) + start
            if len(frames) < 3:
                continue
            t = (frames - frames[0]) * frame_dt
            design = np.stack([t**2 / 2, t, np.ones_like(t)], axis=1)
            accel = np.linalg.lstsq(design, world[frames], rcond=None)[0][0]
            rounding = PIXEL_NOISE * float(units_per_pixel[frames].mean())
            allowance = 2 * rounding * float(np.sqrt(np.linalg.inv(design.T @ design)[0, 0]))
            if not under_gravity:
                miss = float(np.linalg.norm(accel))
            elif all(_supported(i, spec, worlds, k) for k in frames):
                miss = max(0.0, float(np.linalg.norm(accel - [0.0, -vocab.GRAVITY / 2])) - vocab.GRAVITY / 2)
            else:
                miss = float(np.linalg.norm(accel - [0.0, -vocab.GRAVITY]))
            scores.append(float(np.clip(1 - (miss - allowance) / vocab.GRAVITY, 0, 1)))
            weights.append(len(frames))
    return float(np.average(scores, weights=weights)) if scores else float("nan")


def _contact_score(i: int, spec: SceneSpec, jumps: list[VelocityJump], worlds: dict[int, np.ndarray]) -> float:
    """Share of velocity jumps that touch something, and do not gain speed off the box."""
    if not jumps:
        return float("nan")
    good = 0
    for jump in jumps:
        k = min(int(round(jump.frame)), len(worlds[i]) - 1)
        if _touching_object(i, spec, worlds, k, jump.position):
            good += 1  # a collision may pass speed on; only the touch is checked
        elif _gap_to_box(jump.position, spec.objects[i].radius) <= CONTACT_TOLERANCE:
            limit = np.linalg.norm(jump.before) * (1 + SPEED_GAIN_TOLERANCE) + SPEED_GAIN_SLACK
            gained = np.linalg.norm(jump.after) > limit
            good += not gained
    return good / len(jumps)


def _gap_to_box(position: np.ndarray, radius: float) -> float:
    x, y = position
    return min(x - radius, vocab.WORLD_W - radius - x, y - radius, vocab.WORLD_H - radius - y)


def _touching_object(i: int, spec: SceneSpec, worlds: dict[int, np.ndarray], k: int, position: np.ndarray) -> bool:
    """Whether object ``i``, at ``position``, touches another tracked object at frame ``k``."""
    r = spec.objects[i].radius
    return any(
        np.linalg.norm(w[k] - position) - r - spec.objects[j].radius <= CONTACT_TOLERANCE
        for j, w in worlds.items()
        if j != i and not np.isnan(w[k, 0])
    )


def _supported(i: int, spec: SceneSpec, worlds: dict[int, np.ndarray], k: int) -> bool:
    """Whether object ``i`` rests on the floor or touches another object at frame ``k``."""
    position = worlds[i][k]
    on_floor = position[1] - spec.objects[i].radius <= REST_TOLERANCE
    return on_floor or _touching_object(i, spec, worlds, k, position)


def _runs(mask: np.ndarray) -> list[range]:
    """Maximal runs of True in a boolean array."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return [range(a, b) for a, b in zip(edges[::2], edges[1::2])]
