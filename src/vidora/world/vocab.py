"""The closed vocabulary of the Vidora world: what can appear in a scene.

Everything the renderer draws, the sound engine voices, the captioner names and
the evaluator recognises is listed here once. Object colours are saturated and
hue-separated, backgrounds are muted, so that classical colour segmentation can
tell an object from the scene it sits in.
"""

from __future__ import annotations

from dataclasses import dataclass

# World box, in world units (y up). The floor is y=0, walls at x=0 and x=WORLD_W.
WORLD_W = 8.0
WORLD_H = 8.0
GRAVITY = 9.0  # world units / s^2
AUDIO_RATE = 16_000  # Hz, mono


@dataclass(frozen=True)
class Colour:
    name: str
    rgb: tuple[int, int, int]


COLOURS: dict[str, Colour] = {
    c.name: c
    for c in (
        Colour("red", (222, 38, 38)),
        Colour("orange", (245, 130, 20)),
        Colour("yellow", (244, 214, 26)),
        Colour("green", (36, 184, 58)),
        Colour("cyan", (24, 196, 214)),
        Colour("blue", (38, 72, 226)),
        Colour("purple", (142, 56, 214)),
        Colour("pink", (240, 92, 178)),
    )
}

SHAPES: tuple[str, ...] = ("ball", "box", "triangle", "star", "ring")

# Collision radius in world units for each size word.
SIZES: dict[str, float] = {"small": 0.5, "medium": 0.72, "large": 1.0}


@dataclass(frozen=True)
class Material:
    name: str
    restitution: float
    # Modal sound model: partial frequency ratios, base pitch (Hz) for a
    # medium object, decay time (s) of the fundamental, share of noise burst.
    partials: tuple[float, ...]
    base_hz: float
    decay_s: float
    noise: float


MATERIALS: dict[str, Material] = {
    m.name: m
    for m in (
        Material("rubber", 0.82, (1.0, 1.6), 180.0, 0.05, 0.35),
        Material("wood", 0.55, (1.0, 2.3, 4.1), 420.0, 0.07, 0.25),
        Material("metal", 0.62, (1.0, 2.76, 5.40, 8.93), 880.0, 0.35, 0.05),
        Material("glass", 0.5, (1.0, 2.32, 4.25, 6.63), 1900.0, 0.22, 0.08),
    )
}


@dataclass(frozen=True)
class Background:
    name: str
    sky_top: tuple[int, int, int]
    sky_bottom: tuple[int, int, int]
    ground_top: tuple[int, int, int] | None  # None: no ground band (sky fills the frame)
    ground_bottom: tuple[int, int, int] | None
    horizon_y: float  # world y of the horizon line
    texture: str  # what the renderer scatters: clouds, blades, waves, stars, dunes, tiles
    ambience: str  # what the sound engine plays under everything


BACKGROUNDS: dict[str, Background] = {
    b.name: b
    for b in (
        Background("sky", (118, 160, 196), (190, 212, 228), None, None, 0.0, "clouds", "wind"),
        Background("grass", (160, 190, 210), (205, 218, 222), (112, 140, 92), (84, 110, 70), 1.6, "blades", "birds"),
        Background("sea", (170, 190, 205), (214, 222, 228), (66, 104, 130), (44, 76, 100), 2.4, "waves", "waves"),
        Background("night", (14, 18, 40), (40, 44, 76), (30, 32, 42), (20, 22, 30), 1.2, "stars", "crickets"),
        Background("desert", (214, 196, 170), (232, 220, 196), (196, 168, 126), (170, 140, 100), 1.8, "dunes", "desert_wind"),
        Background("studio", (128, 128, 132), (150, 150, 154), (96, 96, 100), (76, 76, 80), 1.0, "tiles", "room_tone"),
    )
}

STYLES: tuple[str, ...] = ("flat", "cartoon", "pixel", "watercolor")

MOTIONS: tuple[str, ...] = (
    "still",  # rests on the floor
    "fly",  # constant velocity, no gravity, bounces off the walls
    "fall",  # dropped from high up, bounces on the floor
    "bounce",  # thrown sideways under gravity, bounces off floor and walls
    "roll",  # rolls along the floor, spinning with its speed
    "spin",  # stays in place and turns
    "grow",  # stays in place and grows
    "shrink",  # stays in place and shrinks
)

CAMERA_MOVES: tuple[str, ...] = ("static", "pan_left", "pan_right", "zoom_in", "zoom_out")

# Framings a shot can use: the whole box, or a closer view centred on one subject.
FRAMINGS: tuple[str, ...] = ("wide", "close")

SPEEDS: dict[str, float] = {"slow": 0.5, "normal": 1.0, "fast": 2.0}
