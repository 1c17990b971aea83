"""Does the character-cameo check take drawn faces for people? Every world character's sprite, and photos of
people, a cat and an object, uploaded as a character is (a PNG or JPEG file read by `read_character_upload`,
larger ones scaled to 512 pixels first), through `faces_in`: dlib's HOG detector proposes faces and its CNN human
face detector confirms each. A sprite counts as refused when any of its faces is confirmed as a person's.

    OMP_NUM_THREADS=1 nice -n 15 python benchmarks/character_faces.py   # writes benchmarks/results/character_faces.json

The photos of people are the public-domain ones our dependencies ship (Grace Hopper in matplotlib, Eileen Collins
and the cameraman in scikit-image), each at several sizes: three people only, so a found/missed count, not a rate.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from vidora.cameos import faces_in, read_character_upload
from vidora.cameos.faces import find_faces
from vidora.world.characters import roster, sprite

RESULTS = Path(__file__).parent / "results" / "character_faces.json"
SPRITE_SIDES = (128, 256, 512)  # a PNG export of a character at the sizes people share; larger ones are read at 512
PHOTO_SIDES = (96, 128, 192, 256, 384, 512)
BACKGROUNDS = {"transparent": None, "white": (255, 255, 255)}


def photos() -> dict[str, tuple[np.ndarray, bool]]:
    """name: (RGB picture, shows a person)."""
    import matplotlib.cbook
    from skimage import data

    with Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as hopper:
        grace = np.asarray(hopper.convert("RGB"))
    return {"grace_hopper": (grace, True), "eileen_collins": (data.astronaut(), True),
            "cameraman": (np.stack([data.camera()] * 3, axis=-1), True),
            "cat": (data.chelsea(), False), "coffee": (data.coffee(), False)}


def check(picture: Image.Image, path: Path) -> dict:
    picture.save(path)
    upload = read_character_upload(path)
    frame = upload.frames[0]
    started = time.perf_counter()
    found = faces_in(upload)
    people = sum(f.is_human() for f in found)  # every proposal: a picture with no person is checked to the end
    seconds = time.perf_counter() - started
    return {"hog_faces": len(find_faces(frame, upsample=1)),  # what the HOG detector alone finds (threshold 0)
            "proposals": len(found), "people": people, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    report: dict = {"sprites": {}, "photos": {}}
    timings = []
    with tempfile.TemporaryDirectory(prefix="vidora-character-faces-") as tmp:
        for side in SPRITE_SIDES:
            for background, colour in BACKGROUNDS.items():
                rows = []
                for index, character in enumerate(roster()):
                    picture = Image.fromarray(sprite(index, side), "RGBA")
                    if colour is not None:
                        picture = Image.alpha_composite(Image.new("RGBA", picture.size, colour + (255,)), picture)
                    rows.append(check(picture, Path(tmp) / f"{character.name}.png") | {"name": character.name})
                timings += [r["seconds"] for r in rows]
                entry = {"sprites": len(rows), "hog_alone_finds_a_face": sum(r["hog_faces"] > 0 for r in rows),
                         "refused_as_a_person": [r["name"] for r in rows if r["people"]]}
                report["sprites"][f"{side}px {background}"] = entry
                print(f"sprites {side}px {background:11s}: HOG alone finds a face in {entry['hog_alone_finds_a_face']}"
                      f" of {len(rows)}; refused as a person: {len(entry['refused_as_a_person'])}", flush=True)
        for name, (photo, person) in photos().items():
            found = []
            for side in PHOTO_SIDES:
                picture = Image.fromarray(photo)
                picture.thumbnail((side, side), Image.LANCZOS)
                found.append(check(picture, Path(tmp) / f"{name}.jpg")["people"] > 0)
            report["photos"][name] = {"person": person, "sides": list(PHOTO_SIDES), "refused_as_a_person": found}
            print(f"{name:15s} (a person: {person!s:5s}) refused as a person at {PHOTO_SIDES}: {found}", flush=True)
    report["seconds_per_sprite_check"] = {"median": round(statistics.median(timings), 3), "max": round(max(timings), 3)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"check per sprite: median {report['seconds_per_sprite_check']['median']} s; wrote {args.out}")


if __name__ == "__main__":
    main()
