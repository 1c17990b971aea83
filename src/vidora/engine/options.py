"""What a generation request may ask for, importable without loading torch (the web app uses it for forms)."""

from __future__ import annotations

from dataclasses import dataclass

from vidora.world.captions import STYLE_WORDS

STYLES = tuple(STYLE_WORDS)  # art styles the built-in model knows
SPEEDS = {"slow": "slow", "0.5": "slow", "normal": "normal", "1": "normal", "1.0": "normal", "fast": "fast", "2": "fast", "2.0": "fast"}


@dataclass
class Shot:
    """One shot of a storyboard."""

    prompt: str
    seconds: float
