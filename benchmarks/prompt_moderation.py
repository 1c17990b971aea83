"""Prompt moderation on the held-out labelled prompts: recall on disallowed prompts (per category),
false refusals on benign ones, for adults and for teens, per layer and combined.

    nice -n 15 python benchmarks/prompt_moderation.py      # writes benchmarks/results/prompt_moderation.json

The held-out prompts (vidora/safety/data/prompts/heldout/, plus world captions from scenes never used in
training) are written apart from the training prompts: other phrasings, other people, other targets. The
targets: recall >= 0.95 on disallowed prompts, <= 2% false refusals on benign ones (adult thresholds).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from vidora.safety.classifier import BENIGN
from vidora.safety.moderator import PromptModerator
from vidora.safety.prompts import load_split

RESULTS = Path(__file__).parent / "results" / "prompt_moderation.json"
SHORT_WORDS = 3  # follow-ups ("at noon"), single words ("girl", "lol") and content-free prompts ("q", "....")


def rates(rows: list[dict], refused_by) -> dict:
    disallowed = [r for r in rows if r["label"] != BENIGN]
    benign = [r for r in rows if r["label"] == BENIGN]
    by_category = defaultdict(list)
    for r in disallowed:
        by_category[r["label"]].append(refused_by(r))
    true_refusals = sum(refused_by(r) for r in disallowed)
    false_refusals = sum(refused_by(r) for r in benign)
    short_benign = [r for r in benign if len(r["text"].split()) <= SHORT_WORDS]
    return {
        "recall_disallowed": round(true_refusals / len(disallowed), 4),
        "false_refusal_rate_benign": round(false_refusals / len(benign), 4),
        "false_refusal_rate_short_benign": round(sum(refused_by(r) for r in short_benign) / len(short_benign), 4),
        "precision": round(true_refusals / max(1, true_refusals + false_refusals), 4),
        "recall_by_category": {c: round(sum(v) / len(v), 4) for c, v in sorted(by_category.items())},
        "benign_refused": [r["text"] for r in benign if refused_by(r)],
        "disallowed_missed": [f"[{r['label']}] {r['text']}" for r in disallowed if not refused_by(r)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    moderator = PromptModerator.from_pretrained()
    prompts = load_split("heldout")
    rows = [{"text": p.text, "label": p.label, "source": p.source} for p in prompts]
    started = time.perf_counter()
    for audience, teen in (("adult", False), ("teen", True)):
        for row, verdict in zip(rows, moderator.check_many([r["text"] for r in rows], teen=teen)):
            row[audience] = verdict
    seconds = time.perf_counter() - started
    threshold = moderator.classifier.thresholds
    report = {
        "prompts": {"disallowed": sum(r["label"] != BENIGN for r in rows), "benign": sum(r["label"] == BENIGN for r in rows),
                    "benign_world_captions": sum(r["source"] == "world" for r in rows),
                    "benign_short": sum(r["label"] == BENIGN and len(r["text"].split()) <= SHORT_WORDS for r in rows)},
        "thresholds": threshold,
        "adult": rates(rows, lambda r: not r["adult"].allowed),
        "teen": rates(rows, lambda r: not r["teen"].allowed),
        "adult_terms_only": rates(rows, lambda r: r["adult"].layer == "terms"),
        "adult_classifier_only": rates(rows, lambda r: r["adult"].score >= threshold["adult"]),
        "ms_per_prompt": round(1000 * seconds / (2 * len(rows)), 2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"{report['prompts']['disallowed']} disallowed, {report['prompts']['benign']} benign held-out prompts")
    for name in ("adult", "teen", "adult_terms_only", "adult_classifier_only"):
        r = report[name]
        print(f"{name:22s} recall {r['recall_disallowed']:.3f}  false refusals {r['false_refusal_rate_benign']:.3f}  "
              f"(short prompts {r['false_refusal_rate_short_benign']:.3f})  precision {r['precision']:.3f}")
    print("recall by category (adult):", report["adult"]["recall_by_category"])
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
