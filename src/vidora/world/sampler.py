"""Random scene specs with a controllable distribution and a held-out split.

The held-out split is a rule, not a list of clips: some colour x shape x
background combinations and one band of horizontal speeds never occur in
training clips, so a model evaluated on held-out prompts is tested on
combinations it has never seen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from vidora.errors import SpecError
from vidora.world import vocab
from vidora.world.characters import ROSTER_SIZE
from vidora.world.physics import GROW_FACTOR
from vidora.world.spec import ObjectSpec, SceneSpec, ShotSpec, validate_format

SPLITS = ("train", "heldout", "any")
HELDOUT_SHARE = 0.1  # share of colour x shape x background combinations held out
HELDOUT_SPEED = (2.6, 3.0)  # horizontal speeds in this band never occur in training
SPEED_RANGE = (0.8, 4.2)
MOVING = ("fly", "bounce", "roll")


def is_heldout_combo(colour: str, shape: str, background: str) -> bool:
    """A fixed, hash-chosen ~10% of colour x shape x background triples."""
    digest = hashlib.sha256(f"{colour}|{shape}|{background}".encode()).digest()
    return digest[0] < 256 * HELDOUT_SHARE


def split_of(spec: SceneSpec) -> str:
    """'heldout' if any object uses a held-out combination or speed band, else 'train'."""
    for o in spec.objects:
        if not o.is_character and is_heldout_combo(o.colour, o.shape, spec.background):
            return "heldout"
        if o.motion in MOVING and HELDOUT_SPEED[0] <= abs(o.vx) <= HELDOUT_SPEED[1]:
            return "heldout"
    return "train"


def _weights(names, given: dict[str, float] | None) -> np.ndarray:
    w = np.array([1.0 if given is None else given.get(n, 0.0) for n in names])
    if w.sum() <= 0:
        raise SpecError(f"sampler weights give every choice of {', '.join(names)} zero weight")
    return w / w.sum()


@dataclass
class SamplerConfig:
    """What a sampled scene may contain. ``None`` weights mean uniform."""

    frames: int = 33
    fps: int = 16
    width: int = 128
    height: int = 128
    min_objects: int = 1
    max_objects: int = 3
    character_prob: float = 0.3  # chance that a scene holds one named character
    cut_prob: float = 0.15
    camera_move_prob: float = 0.25
    speed_change_prob: float = 0.1
    backgrounds: dict[str, float] | None = None
    styles: dict[str, float] | None = None
    motions: dict[str, float] | None = None
    characters: list[int] | None = None  # roster indices allowed; None = all
    split: str = "train"

    def validate(self) -> None:
        if self.split not in SPLITS:
            raise SpecError(f"unknown split {self.split!r}; expected one of {', '.join(SPLITS)}")
        if not 1 <= self.min_objects <= self.max_objects <= 4:
            raise SpecError("object counts must satisfy 1 <= min_objects <= max_objects <= 4")
        validate_format(self.frames, self.fps, self.width, self.height)


class SceneSampler:
    """Draws scene specs; ``sample(seed)`` is deterministic in the seed."""

    def __init__(self, config: SamplerConfig | None = None):
        self.config = config or SamplerConfig()
        self.config.validate()
        c = self.config
        self._bg = (list(vocab.BACKGROUNDS), _weights(list(vocab.BACKGROUNDS), c.backgrounds))
        self._style = (list(vocab.STYLES), _weights(vocab.STYLES, c.styles))
        self._motion = (list(vocab.MOTIONS), _weights(vocab.MOTIONS, c.motions))

    def sample(self, seed: int) -> SceneSpec:
        rng = np.random.default_rng([seed, 0x5CE7E])
        for _ in range(1000):
            spec = self._draw(rng, seed)
            if self.config.split == "any" or split_of(spec) == self.config.split:
                return spec
        raise SpecError(f"could not draw a {self.config.split} scene from this sampler configuration")

    def _draw(self, rng: np.random.Generator, seed: int) -> SceneSpec:
        c = self.config
        background = str(rng.choice(self._bg[0], p=self._bg[1]))
        style = str(rng.choice(self._style[0], p=self._style[1]))
        n_shapes = int(rng.integers(c.min_objects, c.max_objects + 1))
        with_character = rng.random() < c.character_prob
        objects: list[ObjectSpec] = []
        pool = c.characters if c.characters is not None else range(ROSTER_SIZE)
        kinds = ["shape"] * n_shapes + (["character"] if with_character else [])
        for kind in kinds:
            for _attempt in range(50):
                obj = self._draw_object(rng, kind, pool)
                if all(np.hypot(obj.x - o.x, obj.y - o.y) > (obj.radius + o.radius) * 1.1 for o in objects):
                    objects.append(obj)
                    break
        shots = [ShotSpec(start=0, camera=self._camera(rng))]
        if rng.random() < c.cut_prob and c.frames >= 6:
            start = int(rng.integers(c.frames // 3, 2 * c.frames // 3 + 1))
            shots.append(ShotSpec(start=start, framing="close", subject=int(rng.integers(len(objects))), camera=self._camera(rng)))
        speed = 1.0
        if rng.random() < c.speed_change_prob:
            speed = float(rng.choice([vocab.SPEEDS["slow"], vocab.SPEEDS["fast"]]))
        return SceneSpec(
            seed=seed, background=background, style=style, objects=objects, shots=shots,
            frames=c.frames, fps=c.fps, width=c.width, height=c.height, speed=speed,
        )

    def _camera(self, rng: np.random.Generator) -> str:
        if rng.random() < self.config.camera_move_prob:
            return str(rng.choice(vocab.CAMERA_MOVES[1:]))
        return "static"

    def _draw_object(self, rng: np.random.Generator, kind: str, pool) -> ObjectSpec:
        motion = str(rng.choice(self._motion[0], p=self._motion[1]))
        size = str(rng.choice(["small", "medium"] if motion == "grow" else list(vocab.SIZES)))
        r = vocab.SIZES[size] * (GROW_FACTOR if motion == "grow" else 1.0)
        material = str(rng.choice(list(vocab.MATERIALS)))
        x = float(rng.uniform(r + 0.2, vocab.WORLD_W - r - 0.2))
        y = float(rng.uniform(r + 0.2, vocab.WORLD_H - r - 1.5))
        vx = vy = spin = 0.0
        speed = float(rng.uniform(*SPEED_RANGE))
        sign = float(rng.choice([-1.0, 1.0]))
        if motion in ("still", "roll"):
            y = vocab.SIZES[size]
        if motion == "fly":
            if rng.random() < 0.7:
                vx, vy = sign * speed, float(rng.uniform(-0.3, 0.3)) * speed
            else:
                vx, vy = float(rng.uniform(-0.3, 0.3)) * speed, sign * speed
        elif motion == "fall":
            y = float(rng.uniform(4.5, vocab.WORLD_H - r - 0.3))
        elif motion == "bounce":
            y = float(rng.uniform(3.0, 6.0))
            vx, vy = sign * speed, float(rng.uniform(0.0, 3.0))
        elif motion == "roll":
            vx = sign * speed
        elif motion == "spin":
            spin = sign * float(rng.uniform(2.0, 5.0))
        x, y = _leave_room(x, y, vx, vy, r)
        if kind == "character":
            return ObjectSpec(size=size, material=material, motion=motion, x=x, y=y, vx=vx, vy=vy, spin=spin,
                              character=int(rng.choice(list(pool))))
        return ObjectSpec(size=size, material=material, motion=motion, x=x, y=y, vx=vx, vy=vy, spin=spin,
                          shape=str(rng.choice(vocab.SHAPES)), colour=str(rng.choice(list(vocab.COLOURS))))


LEAD_TIME = 0.6  # simulated seconds a mover travels before it may reach a wall


def _leave_room(x: float, y: float, vx: float, vy: float, r: float) -> tuple[float, float]:
    """Move a starting point back from the wall it heads for, so the clip shows
    the motion the prompt names before any bounce reverses it."""
    lo, hi = r + 0.05, vocab.WORLD_W - r - 0.05
    if vx < 0:
        x = max(x, min(hi, lo + abs(vx) * LEAD_TIME))
    elif vx > 0:
        x = min(x, max(lo, hi - vx * LEAD_TIME))
    if vy > 0 and abs(vy) > abs(vx):  # flying up: keep clear of the ceiling
        y = min(y, max(r + 0.05, vocab.WORLD_H - r - 0.05 - vy * LEAD_TIME))
    elif vy < 0 and abs(vy) > abs(vx):
        y = max(y, min(vocab.WORLD_H - r - 0.05, r + 0.05 + abs(vy) * LEAD_TIME))
    return x, y

