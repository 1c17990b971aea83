"""Rigid-body simulation of a scene: gravity, bounces, rolling, collisions.

Objects are discs for collision purposes (every shape is drawn to fill its
collision circle). Integration uses fixed sub-steps; impact times are refined
inside the sub-step so that sounds can be placed sample-accurately.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vidora.world import vocab
from vidora.world.spec import SceneSpec

SUBSTEPS = 32
REST_SPEED = 0.35  # below this normal speed a floor contact settles instead of bouncing
AUDIBLE_SPEED = 0.5  # impacts softer than this make no sound and are not recorded
ROLL_FRICTION = 0.25  # world units / s^2 deceleration of rolling objects
GROW_FACTOR = 1.6
SHRINK_FACTOR = 0.5
# Anchored objects hold their place (they spin or change size in place).
ANCHORED = frozenset({"spin", "grow", "shrink"})
FLOATING = frozenset({"fly", "spin", "grow", "shrink"})


@dataclass
class Impact:
    time: float  # played seconds from the clip start
    obj: int
    other: str  # "floor", "wall", "ceiling" or "object:<index>"
    speed: float  # normal speed at contact, world units per simulated second


@dataclass
class Trajectory:
    """Per-frame state of every object (world units, simulated seconds)."""

    pos: np.ndarray  # (T, N, 2)
    vel: np.ndarray  # (T, N, 2)
    angle: np.ndarray  # (T, N) radians
    scale: np.ndarray  # (T, N) radius multiplier
    impacts: list[Impact] = field(default_factory=list)


def simulate(spec: SceneSpec) -> Trajectory:
    """Run the scene forward and sample every object's state at each frame time."""
    n = len(spec.objects)
    T = spec.frames
    frame_dt = spec.speed / spec.fps  # simulated seconds between frames
    dt = frame_dt / SUBSTEPS
    sim_length = frame_dt * max(T - 1, 1)

    pos = np.array([[o.x, o.y] for o in spec.objects], dtype=np.float64)
    vel = np.array([[o.vx, o.vy] for o in spec.objects], dtype=np.float64)
    base_r = np.array([o.radius for o in spec.objects])
    spin = np.array([o.spin for o in spec.objects])
    angle = np.zeros(n)
    motions = [o.motion for o in spec.objects]
    restitution = np.array([vocab.MATERIALS[o.material].restitution for o in spec.objects])
    gravity = np.array([m not in FLOATING for m in motions])
    anchored = np.array([m in ANCHORED for m in motions])
    rolls = np.array([m == "roll" and not o.is_character for m, o in zip(motions, spec.objects)])
    vel[anchored] = 0.0

    out = Trajectory(
        pos=np.zeros((T, n, 2)), vel=np.zeros((T, n, 2)), angle=np.zeros((T, n)), scale=np.ones((T, n))
    )

    def scale_at(t: float) -> np.ndarray:
        s = np.ones(n)
        frac = min(t / sim_length, 1.0)
        for i, m in enumerate(motions):
            if m == "grow":
                s[i] = 1.0 + (GROW_FACTOR - 1.0) * frac
            elif m == "shrink":
                s[i] = 1.0 + (SHRINK_FACTOR - 1.0) * frac
        return s

    def record(t_sim: float, obj: int, other: str, speed: float) -> None:
        if speed >= AUDIBLE_SPEED:
            out.impacts.append(Impact(time=t_sim / spec.speed, obj=obj, other=other, speed=float(speed)))

    t = 0.0
    for k in range(T):
        out.pos[k], out.vel[k], out.angle[k], out.scale[k] = pos, vel, angle, scale_at(t)
        if k == T - 1:
            break
        for _ in range(SUBSTEPS):
            r = base_r * scale_at(t)
            on_floor = gravity & (pos[:, 1] - r <= 1e-6) & (np.abs(vel[:, 1]) < 1e-9)
            vel[gravity & ~anchored, 1] -= vocab.GRAVITY * dt
            decel = np.minimum(np.abs(vel[:, 0]), ROLL_FRICTION * dt)
            vel[on_floor, 0] -= (np.sign(vel[:, 0]) * decel)[on_floor]
            new = pos + vel * dt
            _bounce_off_box(t, dt, pos, new, vel, r, restitution, gravity, record)
            pos = new
            _collide_pairs(t + dt, pos, vel, r, anchored, record)
            angle = angle + np.where(rolls, -vel[:, 0] / r, spin) * dt
            t += dt
    return out


def _bounce_off_box(t, dt, pos, new, vel, r, restitution, gravity, record) -> None:
    """Reflect objects that crossed the floor, walls or ceiling during this sub-step."""
    for i in range(len(pos)):
        for axis, lo, hi, lo_name, hi_name in (
            (0, r[i], vocab.WORLD_W - r[i], "wall", "wall"),
            (1, r[i], vocab.WORLD_H - r[i], "floor", "ceiling"),
        ):
            v = vel[i, axis]
            if new[i, axis] < lo and v < 0:
                limit, name = lo, lo_name
            elif new[i, axis] > hi and v > 0:
                limit, name = hi, hi_name
            else:
                continue
            frac = np.clip((limit - pos[i, axis]) / (v * dt), 0.0, 1.0)
            e = restitution[i] if gravity[i] else 1.0
            speed = abs(v)
            record(t + frac * dt, i, name, speed)
            if name == "floor" and speed * e < REST_SPEED:
                vel[i, 1] = 0.0
                new[i, 1] = lo
                continue
            vel[i, axis] = -v * e
            new[i, axis] = limit + vel[i, axis] * (1 - frac) * dt


def _collide_pairs(t, pos, vel, r, anchored, record) -> None:
    """Elastic collisions between discs; anchored objects act as immovable."""
    n = len(pos)
    mass = np.where(anchored, np.inf, r**2)
    for i in range(n):
        for j in range(i + 1, n):
            if anchored[i] and anchored[j]:
                continue
            d = pos[j] - pos[i]
            dist = float(np.hypot(*d))
            overlap = r[i] + r[j] - dist
            if overlap <= 0 or dist == 0:
                continue
            normal = d / dist
            closing = float(np.dot(vel[i] - vel[j], normal))
            inv_i = 0.0 if anchored[i] else 1.0 / mass[i]
            inv_j = 0.0 if anchored[j] else 1.0 / mass[j]
            share = inv_i / (inv_i + inv_j)
            pos[i] -= normal * overlap * share
            pos[j] += normal * overlap * (1 - share)
            if closing <= 0:
                continue
            impulse = 2.0 * closing / (inv_i + inv_j)
            vel[i] -= impulse * inv_i * normal
            vel[j] += impulse * inv_j * normal
            record(t, i, f"object:{j}", closing)
