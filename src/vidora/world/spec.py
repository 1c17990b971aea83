"""Scene specs: the complete, serialisable description of one world clip.

A spec plus the simulator and renderer fully determine a clip (frames, audio and
ground truth), so specs are what datasets store and what the evaluator compares
generated clips against.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from vidora.errors import SpecError
from vidora.world import vocab


@dataclass
class ObjectSpec:
    """One thing in the scene: a shape, or a named character (``character`` set)."""

    size: str
    material: str
    motion: str
    x: float
    y: float
    vx: float = 0.0
    vy: float = 0.0
    spin: float = 0.0  # rad/s, positive = counter-clockwise
    shape: str | None = None
    colour: str | None = None
    character: int | None = None  # roster index, see vidora.world.characters

    @property
    def is_character(self) -> bool:
        return self.character is not None

    @property
    def radius(self) -> float:
        return vocab.SIZES[self.size]


@dataclass
class ShotSpec:
    """A stretch of frames seen through one camera set-up; a new shot is a cut."""

    start: int
    framing: str = "wide"
    subject: int = 0  # object index the close framing centres on
    camera: str = "static"


@dataclass
class SceneSpec:
    seed: int
    background: str
    style: str
    objects: list[ObjectSpec]
    shots: list[ShotSpec] = field(default_factory=lambda: [ShotSpec(start=0)])
    frames: int = 33
    fps: int = 16
    width: int = 128
    height: int = 128
    speed: float = 1.0  # simulated seconds per played second (0.5 = slow motion)

    @property
    def duration(self) -> float:
        """Played duration in seconds."""
        return self.frames / self.fps

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SceneSpec":
        try:
            objects = [ObjectSpec(**o) for o in data["objects"]]
            shots = [ShotSpec(**s) for s in data.get("shots", [{"start": 0}])]
            rest = {k: v for k, v in data.items() if k not in ("objects", "shots")}
            spec = cls(objects=objects, shots=shots, **rest)
        except (KeyError, TypeError) as exc:
            raise SpecError(f"malformed scene spec: {exc}") from None
        spec.validate()
        return spec

    def validate(self) -> None:
        """Raise SpecError naming the first thing that cannot be simulated or rendered."""
        validate_format(self.frames, self.fps, self.width, self.height)
        if not 0.1 <= self.speed <= 10:
            raise SpecError(f"speed must be between 0.1 and 10, got {self.speed}")
        _check_name("background", self.background, vocab.BACKGROUNDS)
        _check_name("style", self.style, vocab.STYLES)
        if not self.objects:
            raise SpecError("a scene needs at least one object")
        from vidora.world.characters import ROSTER_SIZE

        for i, obj in enumerate(self.objects):
            where = f"object {i}"
            _check_name(f"{where} size", obj.size, vocab.SIZES)
            _check_name(f"{where} material", obj.material, vocab.MATERIALS)
            _check_name(f"{where} motion", obj.motion, vocab.MOTIONS)
            if obj.is_character:
                if not 0 <= obj.character < ROSTER_SIZE:
                    raise SpecError(f"{where} character must be in 0..{ROSTER_SIZE - 1}, got {obj.character}")
            else:
                _check_name(f"{where} shape", obj.shape, vocab.SHAPES)
                _check_name(f"{where} colour", obj.colour, vocab.COLOURS)
            r = obj.radius
            if not (r <= obj.x <= vocab.WORLD_W - r and r <= obj.y <= vocab.WORLD_H - r):
                raise SpecError(f"{where} at ({obj.x:.2f}, {obj.y:.2f}) is outside the world box")
        if self.shots[0].start != 0:
            raise SpecError("the first shot must start at frame 0")
        starts = [s.start for s in self.shots]
        if starts != sorted(set(starts)) or starts[-1] >= self.frames:
            raise SpecError(f"shot starts must increase and lie inside the clip, got {starts}")
        for s in self.shots:
            _check_name("shot framing", s.framing, vocab.FRAMINGS)
            _check_name("shot camera", s.camera, vocab.CAMERA_MOVES)
            if not 0 <= s.subject < len(self.objects):
                raise SpecError(f"shot subject {s.subject} is not an object of the scene")


def validate_format(frames: int, fps: int, width: int, height: int) -> None:
    """Raise SpecError unless the clip format can be rendered and encoded."""
    if frames < 1:
        raise SpecError(f"frames must be at least 1, got {frames}")
    if fps < 1:
        raise SpecError(f"fps must be at least 1, got {fps}")
    for name, value in (("width", width), ("height", height)):
        if value < 16 or value % 2:
            raise SpecError(f"{name} must be an even number >= 16, got {value}")


def _check_name(what: str, value: object, allowed) -> None:
    if value not in allowed:
        raise SpecError(f"unknown {what} {value!r}; expected one of {', '.join(map(str, allowed))}")
