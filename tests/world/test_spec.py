import pytest

from vidora.errors import SpecError
from vidora.world.sampler import SceneSampler
from vidora.world.spec import ObjectSpec, SceneSpec


def ball(**kw):
    return ObjectSpec(**{"size": "medium", "material": "rubber", "motion": "still", "x": 4.0, "y": 0.72,
                         "shape": "ball", "colour": "red", **kw})


def test_round_trips_through_dict():
    spec = SceneSampler().sample(3)
    assert SceneSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize(
    "change, message",
    [
        ({"frames": 0}, "frames must be at least 1"),
        ({"width": 127}, "width must be an even number"),
        ({"height": 8}, "height must be an even number"),
        ({"fps": 0}, "fps must be at least 1"),
        ({"background": "moon"}, "unknown background 'moon'"),
        ({"style": "oil"}, "unknown style 'oil'"),
        ({"objects": []}, "at least one object"),
        ({"objects": [ball(colour="mauve")]}, "unknown object 0 colour 'mauve'"),
        ({"objects": [ball(x=20.0)]}, "outside the world box"),
        ({"objects": [ball(shape=None, colour=None, character=999)]}, "character must be in"),
    ],
)
def test_impossible_specs_name_the_problem(change, message):
    data = {"seed": 0, "background": "sky", "style": "flat", "objects": [ball()], **change}
    with pytest.raises(SpecError, match=message):
        SceneSpec(**data).validate()


def test_malformed_dict_is_a_spec_error():
    with pytest.raises(SpecError, match="malformed scene spec"):
        SceneSpec.from_dict({"seed": 1})
