"""What a generation request may ask for, importable without loading torch (the web app uses it for forms)."""

from __future__ import annotations

from dataclasses import dataclass

from vidora.errors import SpecError
from vidora.world.captions import STYLE_WORDS

STYLES = tuple(STYLE_WORDS)  # art styles the built-in model knows
SPEEDS = {"slow": "slow", "0.5": "slow", "normal": "normal", "1": "normal", "1.0": "normal", "fast": "fast", "2": "fast", "2.0": "fast"}

DEFAULT_GUIDANCE = 3.0  # what a checkpoint generates with when neither it nor the request names a guidance
MAX_GUIDANCE = 30.0


def check_guidance(guidance: float) -> float:
    """A classifier-free guidance scale, or SpecError naming it."""
    if not 0 < guidance <= MAX_GUIDANCE:
        raise SpecError(f"guidance: must be more than 0 and at most {MAX_GUIDANCE:g}, got {guidance}")
    return guidance


@dataclass
class Shot:
    """One shot of a storyboard."""

    prompt: str
    seconds: float
