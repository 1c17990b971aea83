"""Prompt moderation: term lists, then the classifier, before any compute is spent.

    moderator = PromptModerator.from_pretrained()
    verdict = moderator.check("a red ball bounces on the grass", teen=False, cameo_handles={"gajuta"})
    verdict.allowed, verdict.category, verdict.layer, verdict.score

Cameos: a prompt may show a real person through their cameo. The caller (the app's cameos) decides which
@handles the prompt uses with permission and passes them as ``cameo_handles``; those mentions are read
as "a person" before checking, so the person's name in their own handle is not refused as a public figure,
while the rest of the prompt is checked as usual. Other @mentions are left as written (an @handle that
spells a public figure's name is refused like the name).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vidora.safety.classifier import BENIGN, BUNDLED_WEIGHTS, PromptClassifier, embed
from vidora.safety.terms import TermLists

MENTION = re.compile(r"@([A-Za-z0-9_.]*[A-Za-z0-9_])")
CAMEO_STAND_IN = "a person"

REASONS = {
    "real_person": "it names a real person or public figure (people can appear only through their own cameo)",
    "sexual": "it asks for sexual content",
    "minors": "it sexualises minors",
    "violence": "it asks for graphic violence",
    "harassment": "it targets a person with harassment",
    "self_harm": "it promotes self-harm",
    "political_deception": "it asks for political deception (fake events or election misinformation)",
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    category: str | None = None  # one of REASONS when refused
    layer: str | None = None  # "terms" or "classifier"
    term: str | None = None  # the term that matched
    score: float = 0.0  # the classifier's P(not benign)

    @property
    def message(self) -> str:
        if self.allowed:
            return "allowed"
        return f"This prompt was refused because {REASONS.get(self.category, 'it breaks the content rules')}."


def stand_in_cameos(prompt: str, cameo_handles: Collection[str]) -> str:
    """The prompt with each permitted cameo mention read as "a person"."""
    allowed = {h.lower().lstrip("@") for h in cameo_handles}
    return MENTION.sub(lambda m: CAMEO_STAND_IN if m.group(1).lower() in allowed else m.group(0), prompt)


class PromptModerator:
    def __init__(self, terms: TermLists, classifier: PromptClassifier):
        self.terms, self.classifier = terms, classifier

    @classmethod
    def from_pretrained(cls, weights: str | Path = BUNDLED_WEIGHTS, extra_terms: Sequence[str | Path] = ()) -> PromptModerator:
        """The bundled term lists (plus operators' files) and classifier weights."""
        return cls(TermLists.load(*extra_terms), PromptClassifier.from_pretrained(weights))

    def check(self, prompt: str, teen: bool = False, cameo_handles: Collection[str] = ()) -> Verdict:
        return self.check_many([prompt], teen, cameo_handles)[0]

    def check_many(self, prompts: Sequence[str], teen: bool = False,
                   cameo_handles: Collection[str] = ()) -> list[Verdict]:
        """One verdict per prompt; the classifier embeds all of them in one batch."""
        texts = [stand_in_cameos(p, cameo_handles) for p in prompts]
        probabilities = self.classifier.probabilities(embed(texts)) if texts else np.zeros((0, 1))
        scores = self.classifier.unsafe_scores(probabilities) if texts else []
        verdicts = []
        for text, p, score in zip(texts, probabilities, scores):
            if matches := self.terms.find(text, teen=teen):
                verdicts.append(Verdict(False, matches[0].category, "terms", matches[0].term, float(score)))
            elif score >= self.classifier.threshold(teen):
                unsafe = [(prob, label) for prob, label in zip(p, self.classifier.labels) if label != BENIGN]
                verdicts.append(Verdict(False, max(unsafe)[1], "classifier", None, float(score)))
            else:
                verdicts.append(Verdict(True, score=float(score)))
        return verdicts
