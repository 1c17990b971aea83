"""Named characters: procedurally generated sprites with a stable identity.

Character ``i`` of the roster is the same creature on every machine and in
every release: its name, palette, body, pattern, face and accessory derive from
its index alone. Any two characters differ visibly (see ``_distinct``) so that
they stay distinguishable. A character's reference PNG is what cameos and
the engine's character conditioning use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

ROSTER_SIZE = 64
ROSTER_SEED = 20_261_122
SPRITE_SIZE = 64
OUTLINE = (16, 16, 20)

# Character palettes are separate from object colour names on purpose: a
# character is recognised by its whole look, not by a colour word.
PALETTE: dict[str, tuple[int, int, int]] = {
    "teal": (22, 150, 140),
    "lilac": (186, 150, 230),
    "salmon": (250, 140, 120),
    "mint": (150, 230, 180),
    "mustard": (214, 170, 40),
    "sky": (110, 180, 250),
    "coral": (240, 90, 90),
    "lime": (170, 220, 50),
    "plum": (130, 50, 110),
    "tan": (200, 160, 110),
    "navy": (40, 60, 130),
    "rose": (250, 170, 200),
    "forest": (40, 110, 60),
    "brick": (170, 70, 50),
}
BODIES = ("round", "square", "bean", "ghost")
PATTERNS = ("plain", "stripes", "dots", "checker", "belly", "zigzag")
ACCESSORIES = ("none", "antenna", "ears", "hat")
MOUTHS = ("smile", "open", "flat")
_SYLLABLES = ("ba", "bo", "ki", "lu", "mi", "no", "pa", "ri", "su", "ta", "vo", "zu", "fe", "ga", "ho", "ju")


@dataclass(frozen=True)
class Character:
    index: int
    name: str
    body_colour: str
    accent_colour: str
    body: str
    pattern: str
    accessory: str
    mouth: str
    eye_size: float
    eye_spacing: float

    def traits(self) -> tuple[str, ...]:
        return (self.body_colour, self.accent_colour, self.body, self.pattern, self.accessory)


def _distinct(a: Character, b: Character) -> bool:
    """Whether two characters differ in what can be seen, not only in their records.

    Different body colours plus one more trait suffice; the same body colour
    needs a different pattern in a different accent colour.
    """
    if a.body_colour != b.body_colour:
        return sum(x != y for x, y in zip(a.traits(), b.traits())) >= 2
    return a.pattern != b.pattern and a.accent_colour != b.accent_colour


@lru_cache(maxsize=1)
def roster() -> tuple[Character, ...]:
    """The fixed list of named characters, generated once from ROSTER_SEED."""
    rng = np.random.default_rng(ROSTER_SEED)
    colours = list(PALETTE)
    chosen: list[Character] = []
    names: set[str] = set()
    for _attempt in range(100_000):
        if len(chosen) == ROSTER_SIZE:
            break
        body_colour, accent_colour = rng.choice(colours, size=2, replace=False)
        name = "".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 4)))).capitalize()
        candidate = Character(
            index=len(chosen),
            name=name,
            body_colour=str(body_colour),
            accent_colour=str(accent_colour),
            body=str(rng.choice(BODIES)),
            pattern=str(rng.choice(PATTERNS)),
            accessory=str(rng.choice(ACCESSORIES)),
            mouth=str(rng.choice(MOUTHS)),
            eye_size=float(rng.uniform(0.11, 0.17)),
            eye_spacing=float(rng.uniform(0.22, 0.34)),
        )
        if name in names or not all(_distinct(candidate, c) for c in chosen):
            continue
        names.add(name)
        chosen.append(candidate)
    else:
        raise RuntimeError("the trait space is too small for ROSTER_SIZE distinct characters")
    return tuple(chosen)


def by_name(name: str) -> Character | None:
    lowered = name.lower()
    return next((c for c in roster() if c.name.lower() == lowered), None)


@lru_cache(maxsize=ROSTER_SIZE * 2)
def sprite(index: int, size: int = SPRITE_SIZE) -> np.ndarray:
    """Render character ``index`` as an RGBA uint8 image of ``size`` x ``size``."""
    char = roster()[index]
    ss = 4  # supersampling factor for smooth edges
    n = size * ss
    v, u = (np.mgrid[0:n, 0:n] + 0.5) / n * 2 - 1  # u right, v down, both in [-1, 1]
    body_sdf = _body_sdf(char.body, u, v)
    inside = body_sdf < 0
    rgb = np.zeros((n, n, 3))
    rgb[:] = PALETTE[char.body_colour]
    accent = np.array(PALETTE[char.accent_colour], dtype=float)
    rgb[_pattern_mask(char.pattern, u, v)] = accent
    alpha = inside.astype(float)

    acc = _accessory_mask(char.accessory, u, v)
    rgb[acc] = accent
    alpha[acc] = 1.0
    outline = (np.abs(body_sdf) < 0.05) | _accessory_outline(char.accessory, u, v)
    rgb[outline] = OUTLINE
    alpha[outline] = 1.0

    for side in (-1, 1):
        ex, ey = side * char.eye_spacing, -0.18
        d = np.hypot(u - ex, v - ey)
        rgb[d < char.eye_size] = (250, 250, 250)
        rgb[(d < char.eye_size) & (d > char.eye_size - 0.03)] = OUTLINE
        rgb[np.hypot(u - ex - 0.02, v - ey + 0.01) < char.eye_size * 0.5] = OUTLINE
    rgb[_mouth_mask(char.mouth, u, v)] = OUTLINE

    img = np.concatenate([rgb, alpha[..., None] * 255], axis=-1)
    img = img.reshape(size, ss, size, ss, 4).mean(axis=(1, 3))
    return np.round(img).astype(np.uint8)


def save_reference(index: int, path: str | Path, size: int = 256) -> Path:
    """Write the character's reference PNG (transparent background)."""
    path = Path(path)
    Image.fromarray(sprite(index, size), mode="RGBA").save(path)
    return path


def _body_sdf(body: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Signed distance (negative inside) of the body outline, body fits in radius ~0.8."""
    if body == "round":
        return np.hypot(u, v - 0.05) - 0.74
    if body == "square":
        q = np.maximum(np.abs(u) - 0.52, 0), np.maximum(np.abs(v - 0.08) - 0.52, 0)
        return np.hypot(*q) - 0.16
    if body == "bean":
        return np.hypot(u / 0.62, (v - 0.04) / 0.82) - 1.0
    # ghost: a round head over a box with a wavy hem
    head = np.hypot(u, v + 0.05) - 0.62
    skirt = np.maximum(np.abs(u) - 0.62, np.maximum(-(v + 0.05), v - 0.68 - 0.08 * np.cos(u * 12)))
    return np.minimum(head, skirt)


def _pattern_mask(pattern: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    if pattern == "stripes":
        return (np.floor((v + 1) * 5) % 2 == 1) & (v > 0.05)
    if pattern == "dots":
        cu, cv = np.round(u * 3.5) / 3.5, np.round(v * 3.5) / 3.5
        return (np.hypot(u - cu, v - cv) < 0.08) & (v > 0.05)
    if pattern == "checker":
        return ((np.floor((u + 1) * 4) + np.floor((v + 1) * 4)) % 2 == 1) & (v > 0.1)
    if pattern == "zigzag":
        return np.abs(v - 0.3 - 0.12 * np.abs(((u * 4) % 2) - 1)) < 0.09
    if pattern == "belly":
        return np.hypot(u / 0.42, (v - 0.38) / 0.32) < 1
    return np.zeros_like(u, dtype=bool)


def _accessory_mask(accessory: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    if accessory == "antenna":
        stalk = (np.abs(u) < 0.03) & (v > -0.95) & (v < -0.6)
        return stalk | (np.hypot(u, v + 0.9) < 0.09)
    if accessory == "ears":
        left = (v < -0.45) & (v > -0.95) & (np.abs(u + 0.45) < (v + 0.95) * 0.4)
        right = (v < -0.45) & (v > -0.95) & (np.abs(u - 0.45) < (v + 0.95) * 0.4)
        return left | right
    if accessory == "hat":
        brim = (np.abs(u) < 0.6) & (np.abs(v + 0.62) < 0.05)
        crown = (np.abs(u) < 0.34) & (v > -0.98) & (v < -0.62)
        return brim | crown
    return np.zeros_like(u, dtype=bool)


def _accessory_outline(accessory: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    mask = _accessory_mask(accessory, u, v)
    if not mask.any():
        return mask
    grown = mask.copy()
    for axis in (0, 1):
        for shift in (-4, 4):
            grown |= np.roll(mask, shift, axis=axis)
    return grown & ~mask & (np.hypot(u, v) > 0.55)


def _mouth_mask(mouth: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    if mouth == "smile":
        d = np.hypot(u, v - 0.02)
        return (np.abs(d - 0.3) < 0.035) & (v > 0.14) & (np.abs(u) < 0.22)
    if mouth == "open":
        return np.hypot(u / 1.3, v - 0.25) < 0.09
    return (np.abs(u) < 0.18) & (np.abs(v - 0.24) < 0.03)
