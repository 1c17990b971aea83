"""The detector reads touching objects as separate ones, and one object as one."""

import pytest

from vidora.eval.detect import read_clip
from vidora.world.characters import by_name
from vidora.world.clip import render_clip
from vidora.world.spec import ObjectSpec, SceneSpec


def _read(style: str, background: str, objects: list[ObjectSpec]):
    spec = SceneSpec(seed=3, background=background, style=style, objects=objects, frames=3, fps=8, width=128, height=128)
    return read_clip(render_clip(spec).frames)


def _labels(detections) -> list[str]:
    return sorted(d.character or f"{d.colour} {d.shape}" for d in detections)


@pytest.mark.parametrize("style", ["flat", "cartoon"])
def test_touching_shapes_of_two_colours_are_two_objects(style):
    reading = _read(style, "studio", [
        ObjectSpec(size="medium", material="wood", motion="still", x=3.0, y=0.72, shape="ball", colour="red"),
        ObjectSpec(size="medium", material="wood", motion="still", x=4.44, y=0.72, shape="box", colour="blue"),
    ])
    assert all(_labels(frame) == ["blue box", "red ball"] for frame in reading.detections)


@pytest.mark.parametrize("style, shape", [("watercolor", "star"), ("cartoon", "ring"), ("pixel", "star")])
def test_one_textured_or_outlined_shape_is_one_object(style, shape):
    reading = _read(style, "sky", [
        ObjectSpec(size="large", material="wood", motion="spin", x=4.0, y=4.0, spin=2.0, shape=shape, colour="yellow"),
    ])
    assert all(_labels(frame) == [f"yellow {shape}"] for frame in reading.detections)


def test_pale_character_on_the_dark_sea_is_seen():
    # Julu's mint body is paler than the sea, as wave crests are, but not greyer.
    reading = _read("flat", "sea", [ObjectSpec(size="small", material="wood", motion="still", x=4.0, y=0.5, character=63)])
    assert all([d.kind for d in frame] == ["character"] and frame[0].area > 60 for frame in reading.detections)


@pytest.mark.parametrize("style, background, character", [
    ("watercolor", "grass", "Galu"),  # Luvo's look-alike: tan square bodies; sky dots and antenna blur into the tan
    ("watercolor", "grass", "Baga"),  # Rihozu's: teal round bodies with hats; a rose checker, or lilac dots
    ("pixel", "desert", "Mita"),  # Voki's: lime bodies; a tan zigzag lost in the sand, or brick ears
])
def test_look_alike_characters_are_told_apart(style, background, character):
    # The colour-layout descriptors rank the look-alike about as well; drawing both again settles it.
    reading = _read(style, background, [
        ObjectSpec(size="small", material="wood", motion="spin", x=4.0, y=3.0, spin=1.5, character=by_name(character).index),
    ])
    assert [t.character for t in reading.tracks if t.kind == "character"] == [character]
