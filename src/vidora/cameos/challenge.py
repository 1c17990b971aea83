"""Challenge phrases: a few random words the person reads aloud, so a recording cannot be made in advance."""

from __future__ import annotations

import random
import secrets

# Concrete, common two-syllable words, all in pocketsphinx's dictionary and far apart in sound, so a phrase
# is easy to read and the recogniser, choosing only among these words, rarely confuses one for another.
CHALLENGE_WORDS = (
    "apple", "banana", "basket", "button", "cactus", "camera", "candle", "chicken", "coffee", "copper",
    "cotton", "doctor", "dolphin", "dragon", "engine", "falcon", "forest", "garden", "guitar", "hammer",
    "island", "jacket", "kitten", "lantern", "lemon", "magnet", "marble", "meadow", "monkey", "music",
    "ocean", "orange", "paper", "pencil", "penguin", "pepper", "pillow", "planet", "purple", "puzzle",
    "rabbit", "river", "rocket", "salad", "seven", "silver", "spider", "sugar", "table", "thunder",
    "tiger", "tomato", "turtle", "velvet", "violin", "wagon", "window", "winter", "yellow", "zebra",
)
CHALLENGE_LENGTH = 5  # 60 * 59 * 58 * 57 * 56: about 656 million phrases


def new_challenge(rng: random.Random | None = None) -> str:
    """A phrase of CHALLENGE_LENGTH different words, e.g. "tiger candle ocean violin seven"."""
    return " ".join((rng or secrets.SystemRandom()).sample(CHALLENGE_WORDS, CHALLENGE_LENGTH))
