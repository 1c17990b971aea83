"""Did the person say the challenge phrase? pocketsphinx, with its bundled US English model, offline.

The recogniser may only choose among the challenge vocabulary (a JSGF grammar: any sequence of those words), so
it never has to tell a challenge word from the whole of English: speech that is the phrase comes out as the
phrase, and other speech as other words of the list. The phrase counts as said when enough of its words are
heard in order.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from vidora.cameos.challenge import CHALLENGE_WORDS
from vidora.cameos.recording import SPEECH_RATE

# Of CHALLENGE_LENGTH words, how many may go unheard: accents and a cough do not fail the take. Other phrases
# matched at most 1 word in order (benchmarks/cameo_verification.py), so 3 of 5 keeps a margin of 2.
MAX_MISSED_WORDS = 2
MIN_SPEECH_SECONDS = 0.5
SILENCE_RMS = 100  # int16 level below which a recording carries no speech (a muted or missing microphone)


@dataclass
class SpeechCheck:
    heard: str  # the words recognised, in order
    matched: int  # challenge words heard in the right order
    expected: int
    missing: list[str]  # challenge words not heard (in order)
    silent: bool

    @property
    def passed(self) -> bool:
        return not self.silent and self.expected - self.matched <= MAX_MISSED_WORDS


@lru_cache(maxsize=1)
def _decoder():
    from pocketsphinx import Decoder

    decoder = Decoder(lm=None, samprate=SPEECH_RATE, loglevel="FATAL")  # the wheel's acoustic model and dictionary
    words = " | ".join(CHALLENGE_WORDS)
    decoder.add_jsgf_string("challenge", f"#JSGF V1.0;\ngrammar challenge;\npublic <said> = <word>* ;\n<word> = {words} ;\n")
    decoder.activate_search("challenge")
    return decoder


def check_phrase(audio: np.ndarray, phrase: str) -> SpeechCheck:
    """Recognise int16 mono SPEECH_RATE ``audio`` against the challenge vocabulary and compare with ``phrase``."""
    expected = phrase.split()
    loud = audio.size >= MIN_SPEECH_SECONDS * SPEECH_RATE and np.sqrt(np.mean(audio.astype(np.float64) ** 2)) > SILENCE_RMS
    if not loud:
        return SpeechCheck(heard="", matched=0, expected=len(expected), missing=expected, silent=True)
    # A little silence on both sides lets the recogniser settle before the first word and after the last.
    pad = np.zeros(SPEECH_RATE // 2, np.int16)
    decoder = _decoder()
    decoder.start_utt()
    decoder.process_raw(np.concatenate([pad, audio.astype(np.int16), pad]).tobytes(), full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    heard = hypothesis.hypstr.split() if hypothesis else []
    in_order = _in_order(expected, heard)
    return SpeechCheck(heard=" ".join(heard), matched=len(in_order), expected=len(expected),
                       missing=[w for i, w in enumerate(expected) if i not in in_order], silent=False)


def _in_order(expected: list[str], heard: list[str]) -> set[int]:
    """Indices of the ``expected`` words that ``heard`` has in the same order."""
    blocks = difflib.SequenceMatcher(a=expected, b=heard, autojunk=False).get_matching_blocks()
    return {block.a + k for block in blocks for k in range(block.size)}
