"""Prompts for world clips, and the structured description both sides agree on.

``describe(spec)`` is what a clip shows, in the words a prompt can say;
``caption(spec, rng)`` phrases it with varied wording and word order;
``parse_prompt(text)`` reads a prompt back into the same description, so the
evaluator can check a generated clip against a prompt alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from vidora.world import vocab
from vidora.world.characters import roster
from vidora.world.spec import ObjectSpec, SceneSpec


@dataclass(frozen=True)
class ObjectGroup:
    count: int
    colour: str
    shape: str
    size: str
    motion: str
    direction: str | None  # left, right, up, down, or None for motions in place


@dataclass(frozen=True)
class CharacterMention:
    name: str
    motion: str
    direction: str | None


@dataclass
class SceneDescription:
    background: str
    style: str
    groups: list[ObjectGroup] = field(default_factory=list)
    characters: list[CharacterMention] = field(default_factory=list)
    camera: str = "static"
    speed: str = "normal"
    cuts: int = 0

    def counts(self) -> Counter:
        """How many objects of each (colour, shape) the scene holds."""
        total: Counter = Counter()
        for g in self.groups:
            total[(g.colour, g.shape)] += g.count
        return total

    def normalised(self) -> tuple:
        """An order-independent form, for comparing two descriptions."""
        return (
            self.background,
            self.style,
            tuple(sorted((g.colour, g.shape, g.size, g.motion, g.direction or "") for g in self.groups for _ in range(g.count))),
            tuple(sorted((c.name, c.motion, c.direction or "") for c in self.characters)),
            self.camera,
            self.speed,
            self.cuts,
        )


# --- wording -----------------------------------------------------------------

SHAPE_WORDS = {
    "ball": ("ball", "sphere", "orb"),
    "box": ("box", "cube", "block"),
    "triangle": ("triangle", "wedge"),
    "star": ("star",),
    "ring": ("ring", "donut", "hoop"),
}
PLURALS = {"box": "boxes", "sphere": "spheres", "wedge": "wedges"}
COLOUR_WORDS = {
    "red": ("red",),
    "orange": ("orange",),
    "yellow": ("yellow",),
    "green": ("green",),
    "cyan": ("cyan", "turquoise"),
    "blue": ("blue",),
    "purple": ("purple", "violet"),
    "pink": ("pink",),
}
SIZE_WORDS = {"small": ("small", "tiny", "little"), "medium": ("",), "large": ("large", "big", "huge")}
MATERIAL_WORDS = {"rubber": "rubber", "wood": "wooden", "metal": "metal", "glass": "glass"}
COUNT_WORDS = {1: ("a", "one"), 2: ("two",), 3: ("three",), 4: ("four",)}
BACKGROUND_WORDS = {
    "sky": ("in the sky", "against a blue sky", "high in the open sky"),
    "grass": ("on a grassy field", "in a meadow", "on the green grass"),
    "sea": ("by the sea", "at the seaside", "over the ocean"),
    "night": ("at night", "under the night sky", "in the dark of night"),
    "desert": ("in the desert", "among sand dunes", "in a sandy desert"),
    "studio": ("in a studio", "on a studio set", "in a grey photo studio"),
}
GROUND_WORDS = {"sky": "the ground", "grass": "the grass", "sea": "the shore", "night": "the ground", "desert": "the sand", "studio": "the floor"}
STYLE_WORDS = {
    "flat": ("flat illustration", "flat vector style", "simple flat graphics"),
    "cartoon": ("cartoon style", "a cartoon drawing", "cel-shaded cartoon"),
    "pixel": ("pixel art", "8-bit pixel art style", "retro pixel graphics"),
    "watercolor": ("watercolor painting", "watercolour style", "soft watercolor"),
}
CAMERA_WORDS = {
    "static": ("static shot", "locked-off camera"),
    "pan_left": ("the camera pans left", "panning to the left"),
    "pan_right": ("the camera pans right", "panning to the right"),
    "zoom_in": ("the camera zooms in", "slowly zooming in"),
    "zoom_out": ("the camera zooms out", "slowly zooming out"),
}
SPEED_WORDS = {"slow": ("in slow motion", "slowed down"), "fast": ("in fast motion", "sped up")}
# Verb phrases: (singular, plural); {dir} and {ground} are filled in.
MOTION_VERBS = {
    "still": (("rests on {ground}", "rest on {ground}"), ("sits still", "sit still")),
    "fly": (("flies {dir}", "fly {dir}"), ("drifts {dir}", "drift {dir}"), ("floats {dir}", "float {dir}")),
    "fall": (("falls onto {ground}", "fall onto {ground}"), ("drops down", "drop down"), ("falls down", "fall down")),
    "bounce": (("bounces {dir}", "bounce {dir}"), ("bounces along {dir}", "bounce along {dir}")),
    "roll": (("rolls {dir}", "roll {dir}"), ("rolls across {ground} {dir}", "roll across {ground} {dir}")),
    "spin": (("spins in place", "spin in place"), ("twirls around", "twirl around")),
    "grow": (("grows bigger", "grow bigger"), ("swells up", "swell up")),
    "shrink": (("shrinks", "shrink"), ("gets smaller", "get smaller")),
}
CHARACTER_VERBS = {**MOTION_VERBS, "roll": (("walks {dir}", "walk {dir}"), ("strolls {dir}", "stroll {dir}")), "bounce": (("hops {dir}", "hop {dir}"),)}
DIRECTION_WORDS = {
    "left": ("to the left", "leftward"),
    "right": ("to the right", "rightward"),
    "up": ("upward", "up"),
    "down": ("downward", "down"),
}


def direction_of(obj: ObjectSpec) -> str | None:
    """The direction a prompt names for an object's initial motion."""
    if obj.motion == "fall":
        return "down"
    if obj.motion not in ("fly", "bounce", "roll"):
        return None
    if obj.motion == "fly" and abs(obj.vy) > abs(obj.vx):
        return "up" if obj.vy > 0 else "down"
    return "right" if obj.vx > 0 else "left"


def describe(spec: SceneSpec) -> SceneDescription:
    """The prompt-level description of what a spec shows."""
    names = roster()
    shapes: Counter = Counter()
    characters = []
    for o in spec.objects:
        if o.is_character:
            characters.append(CharacterMention(names[o.character].name, o.motion, direction_of(o)))
        else:
            shapes[(o.colour, o.shape, o.size, o.motion, direction_of(o))] += 1
    groups = [ObjectGroup(n, *key) for key, n in shapes.items()]
    speed = next((k for k, v in vocab.SPEEDS.items() if v == spec.speed), "normal")
    camera = spec.shots[0].camera
    return SceneDescription(
        background=spec.background,
        style=spec.style,
        groups=groups,
        characters=characters,
        camera=camera,
        speed=speed,
        cuts=len(spec.shots) - 1,
    )


def caption(spec: SceneSpec, rng: np.random.Generator) -> str:
    """A natural prompt for the spec, phrased at random from the wording tables."""
    desc = describe(spec)
    pick = lambda options: options[int(rng.integers(len(options)))]  # noqa: E731
    ground = GROUND_WORDS[spec.background]
    clauses = []
    for g in desc.groups:
        material = next(o.material for o in spec.objects if o.colour == g.colour and o.shape == g.shape)
        words = [pick(COUNT_WORDS[g.count]), pick(SIZE_WORDS[g.size])]
        if rng.random() < 0.25:
            words.append(MATERIAL_WORDS[material])
        words.append(pick(COLOUR_WORDS[g.colour]))
        noun = pick(SHAPE_WORDS[g.shape])
        words.append(noun if g.count == 1 else PLURALS.get(noun, noun + "s"))
        if words[0] == "a" and words[1] == "" and words[2][0] in "aeiou":
            words[0] = "an"
        verb = _verb(MOTION_VERBS, g.motion, g.direction, g.count > 1, ground, pick)
        clauses.append(" ".join(w for w in words if w) + " " + verb)
    for c in desc.characters:
        who = pick((c.name, f"{c.name} the creature", f"a character named {c.name}"))
        clauses.append(who + " " + _verb(CHARACTER_VERBS, c.motion, c.direction, False, ground, pick))
    order = rng.permutation(len(clauses))
    subjects = _join([clauses[i] for i in order])
    place = pick(BACKGROUND_WORDS[spec.background])
    if rng.random() < 0.5:
        sentence = f"{place[0].upper()}{place[1:]}, {subjects}."
    else:
        sentence = f"{subjects[0].upper()}{subjects[1:]} {place}."
    extras = []
    if spec.style != "flat" or rng.random() < 0.5:
        extras.append(pick(STYLE_WORDS[spec.style]))
    if desc.camera != "static" or rng.random() < 0.2:
        extras.append(pick(CAMERA_WORDS[desc.camera]))
    if desc.speed != "normal":
        extras.append(pick(SPEED_WORDS[desc.speed]))
    rng.shuffle(extras)
    text = sentence
    if extras:
        tail = ", ".join(extras)
        text += f" {tail[0].upper()}{tail[1:]}."
    for shot in spec.shots[1:]:
        text += " " + _cut_sentence(shot, spec, pick)
    return text


def _verb(table, motion, direction, plural, ground, pick) -> str:
    phrase = pick(table[motion])[1 if plural else 0]
    return phrase.format(dir=pick(DIRECTION_WORDS[direction]) if direction else "", ground=ground).strip()


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _cut_sentence(shot, spec: SceneSpec, pick) -> str:
    move = "" if shot.camera == "static" else ", " + pick(CAMERA_WORDS[shot.camera])
    if shot.framing == "wide":
        return f"Cut to a wide shot{move}."
    subject = spec.objects[shot.subject]
    if subject.is_character:
        name = roster()[subject.character].name
    else:
        name = f"the {subject.colour} {subject.shape}"
    return f"Cut to a close-up of {name}{move}."


# --- parsing -----------------------------------------------------------------

def _alternation(words) -> str:
    return "|".join(sorted({re.escape(w) for w in words if w}, key=len, reverse=True))


_WORD_TO_SHAPE = {w: s for s, ws in SHAPE_WORDS.items() for w in ws} | {PLURALS.get(w, w + "s"): s for s, ws in SHAPE_WORDS.items() for w in ws}
_WORD_TO_COLOUR = {w: c for c, ws in COLOUR_WORDS.items() for w in ws}
_WORD_TO_SIZE = {w: s for s, ws in SIZE_WORDS.items() for w in ws if w}
_WORD_TO_COUNT = {w: n for n, ws in COUNT_WORDS.items() for w in ws} | {"an": 1}
_NOUN_PHRASE = re.compile(
    rf"\b(?P<count>{_alternation(_WORD_TO_COUNT)})\s+"
    rf"(?:(?P<size>{_alternation(_WORD_TO_SIZE)})\s+)?"
    rf"(?:(?:{_alternation(MATERIAL_WORDS.values())})\s+)?"
    rf"(?P<colour>{_alternation(_WORD_TO_COLOUR)})\s+"
    rf"(?P<shape>{_alternation(_WORD_TO_SHAPE)})\b"
)
_MOTION_CUES = [
    ("still", ("rest", "sit still", "sits still")),
    ("fly", ("flies", "fly", "drift", "float")),
    ("fall", ("fall", "drop")),
    ("bounce", ("bounce", "hop")),
    ("roll", ("roll", "walk", "stroll")),
    ("spin", ("spin", "twirl")),
    ("grow", ("grow", "swell")),
    ("shrink", ("shrink", "get smaller", "gets smaller")),
]
_DIRECTION_CUES = [
    ("left", ("to the left", "leftward", "left")),
    ("right", ("to the right", "rightward", "right")),
    ("up", ("upward", " up")),
    ("down", ("downward", " down", "falls", "fall ", "drop")),
]


def parse_prompt(text: str) -> SceneDescription:
    """Read a prompt in the world's vocabulary back into a SceneDescription.

    Unknown words are ignored; what the prompt does not say takes the world's
    default (flat style, static camera, normal speed, medium size).
    """
    lowered = " " + text.lower().replace("colour", "color") + " "
    body, *cut_sentences = re.split(r"\bcut to\b", lowered)
    background = _find_background(lowered)
    style = next((s for s, ws in STYLE_WORDS.items() for w in ws if w.replace("colour", "color") in body), "flat")
    camera = next((c for c, ws in CAMERA_WORDS.items() if c != "static" for w in ws if w in body), "static")
    speed = next((s for s, ws in SPEED_WORDS.items() for w in ws if w in body), "normal")
    # Each subject's clause runs from its noun phrase to the next subject.
    subjects = [(m.start(), m.end(), m) for m in _NOUN_PHRASE.finditer(body)]
    names = {c.name.lower(): c.name for c in roster()}
    for m in re.finditer(r"\b([a-z]+)\b", body):
        if m.group(1) in names:
            subjects.append((m.start(), m.end(), names[m.group(1)]))
    subjects.sort(key=lambda s: s[0])
    groups, characters = [], []
    for k, (start, end, what) in enumerate(subjects):
        stop = subjects[k + 1][0] if k + 1 < len(subjects) else len(body)
        clause = body[end:stop]
        motion = next((mo for mo, cues in _MOTION_CUES if any(re.search(rf"\b{c}", clause) for c in cues)), "still")
        direction = _find_direction(clause, motion)
        if isinstance(what, str):
            characters.append(CharacterMention(what, motion, direction))
        else:
            groups.append(
                ObjectGroup(
                    count=_WORD_TO_COUNT[what["count"]],
                    colour=_WORD_TO_COLOUR[what["colour"]],
                    shape=_WORD_TO_SHAPE[what["shape"]],
                    size=_WORD_TO_SIZE.get(what["size"] or "", "medium"),
                    motion=motion,
                    direction=direction,
                )
            )
    return SceneDescription(
        background=background, style=style, groups=groups, characters=characters, camera=camera, speed=speed, cuts=len(cut_sentences)
    )


def _find_background(text: str) -> str:
    for name, phrases in BACKGROUND_WORDS.items():
        if any(p in text for p in phrases):
            return name
    keywords = {"sky": "sky", "grass": "grass", "meadow": "grass", "sea": "sea", "ocean": "sea", "beach": "sea", "night": "night", "desert": "desert", "sand": "desert", "studio": "studio"}
    for word, name in keywords.items():
        if re.search(rf"\b{word}", text):
            return name
    return "sky"


def _find_direction(clause: str, motion: str) -> str | None:
    if motion == "fall":
        return "down"
    if motion not in ("fly", "bounce", "roll"):
        return None
    hits = [(clause.find(cue), d) for d, cues in _DIRECTION_CUES for cue in cues if cue in clause]
    return min(hits)[1] if hits else None
