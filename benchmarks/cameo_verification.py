"""How well cameo verification tells a live reading of the challenge from everything else, and how long it takes.

Speech: espeak-ng voices read random challenge phrases (the right one, and another one); for each voice, how
often the right phrase passes and the wrong one is refused, and how many challenge words the wrong one matched
at most. Faces: the test suite's synthetic recordings (a public-domain photo turned into a head that reads and
turns; the same photo held still; nobody in view; two different people), each verified end to end, with wall
time. Writes benchmarks/results/cameo_verification.json.

Usage: nice -n 15 python benchmarks/cameo_verification.py [--phrases 20]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the recordings the tests make

from tests.cameos import recordings  # noqa: E402
from vidora.cameos import face_distance, new_challenge, verify_recording  # noqa: E402
from vidora.cameos.speech import check_phrase  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "cameo_verification.json"
VOICES = ("en-us+f2", "en-us+f3", "en-us+f4", "en-us+m1", "en-us+m3", "en-us")


def speech(phrases: int) -> dict:
    rng = random.Random(0)
    table = {}
    for voice in VOICES:
        recordings.VOICE = voice
        right = wrong = most_wrong = 0
        seconds, heard = [], []
        for _ in range(phrases):
            phrase, other = new_challenge(rng), new_challenge(rng)
            start = time.perf_counter()
            said = check_phrase(recordings.spoken(phrase), phrase)
            seconds.append(time.perf_counter() - start)
            other_check = check_phrase(recordings.spoken(other), phrase)
            heard.append(said.matched)
            right += said.passed
            wrong += not other_check.passed
            most_wrong = max(most_wrong, other_check.matched)
        table[voice] = {"right_phrase_passed": right / phrases, "wrong_phrase_refused": wrong / phrases,
                        "most_words_matched_by_a_wrong_phrase": most_wrong,
                        "words_heard_of_the_right_phrase": heard,
                        "seconds_per_check": round(sum(seconds) / len(seconds), 2)}
        print(f"{voice:10s} right passed {right}/{phrases}  wrong refused {wrong}/{phrases}  "
              f"(wrong matched at most {most_wrong} words)  {table[voice]['seconds_per_check']} s", flush=True)
    recordings.VOICE = "en-us+f2"
    return table


def faces() -> dict:
    cases = {"live (Hopper)": ("hopper", recordings.PHRASE, True), "live (astronaut)": ("astronaut", recordings.PHRASE, True),
             "wrong phrase": ("hopper", recordings.OTHER_PHRASE, True), "still photo": ("hopper", recordings.PHRASE, False),
             "no face": ("none", recordings.PHRASE, True)}
    table, embeddings = {}, {}
    for name, (face, said, turn) in cases.items():
        path = recordings.clip(face, said, turn)
        start = time.perf_counter()
        result = verify_recording(path, recordings.PHRASE)
        table[name] = {"passed": result.passed, "problems": result.problems, "stats": result.stats,
                       "seconds": round(time.perf_counter() - start, 2)}
        if result.embedding:
            embeddings[name] = result.embedding
        print(f"{name:17s} passed={result.passed}  {table[name]['seconds']} s  {result.stats}", flush=True)
    table["distance Hopper-astronaut"] = round(face_distance(embeddings["live (Hopper)"], embeddings["live (astronaut)"]), 3)
    table["distance Hopper-Hopper (two recordings)"] = round(
        face_distance(embeddings["live (Hopper)"], embeddings["wrong phrase"]), 3)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=20)
    args = parser.parse_args()
    report = {"machine": platform.processor() or platform.machine(), "speech": speech(args.phrases), "faces": faces()}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
