"""Fit the prompt classifier on the training prompts and pick its refusal thresholds.

    python -m vidora.safety.training            # rewrites vidora/safety/weights/prompt_classifier.json

Thresholds come from 5-fold cross-validated probabilities on the training set (never the held-out
set): the adult threshold is the lowest that refuses at most ADULT_BENIGN_REFUSALS of benign training
prompts, the teen threshold the lowest that refuses at most TEEN_BENIGN_REFUSALS.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

from vidora.safety.classifier import BENIGN, BUNDLED_WEIGHTS, LABELS, PromptClassifier, embed
from vidora.safety.prompts import load_split

ADULT_BENIGN_REFUSALS = 0.01
TEEN_BENIGN_REFUSALS = 0.05
REGULARISATION_C = 4.0
SEED = 0


def unfitted():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=REGULARISATION_C, class_weight="balanced", max_iter=2000, random_state=SEED)


def _threshold(benign_scores: np.ndarray, allowed_refusals: float) -> float:
    """The lowest threshold that refuses at most ``allowed_refusals`` of these benign scores."""
    ranked = np.sort(benign_scores)[::-1]
    allowed = int(np.floor(allowed_refusals * len(ranked)))
    return float(np.nextafter(ranked[allowed], 1.0)) if allowed < len(ranked) else 0.0


def train(out: Path = BUNDLED_WEIGHTS) -> PromptClassifier:
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    prompts = load_split("train")
    labels = [p.label for p in prompts]
    x = embed([p.text for p in prompts])
    y = np.array([LABELS.index(label) for label in labels])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    cv = cross_val_predict(unfitted(), x, y, cv=folds, method="predict_proba")
    benign = y == LABELS.index(BENIGN)
    unsafe = 1.0 - cv[:, LABELS.index(BENIGN)]
    thresholds = {"adult": round(_threshold(unsafe[benign], ADULT_BENIGN_REFUSALS), 4),
                  "teen": round(_threshold(unsafe[benign], TEEN_BENIGN_REFUSALS), 4)}
    model = unfitted().fit(x, y)
    classifier = PromptClassifier(LABELS, model.coef_.astype(np.float32), model.intercept_.astype(np.float32),
                                  thresholds, {"prompts": dict(Counter(labels)), "C": REGULARISATION_C,
                                               "cv_recall_adult": round(float((unsafe[~benign] >= thresholds["adult"]).mean()), 4)})
    classifier.save_pretrained(out)
    return classifier


if __name__ == "__main__":
    trained = train(Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED_WEIGHTS)
    print(f"thresholds {trained.thresholds}; cross-validated recall on the training set "
          f"{trained.trained_on['cv_recall_adult']:.3f}")
