import numpy as np
import pytest

from vidora.errors import SpecError
from vidora.world.captions import caption, describe, parse_prompt
from vidora.world.sampler import HELDOUT_SPEED, SamplerConfig, SceneSampler, is_heldout_combo, split_of


def test_every_caption_parses_back_to_what_the_clip_shows():
    sampler = SceneSampler(SamplerConfig(split="any", character_prob=0.5, cut_prob=0.3, camera_move_prob=0.5))
    for seed in range(400):
        spec = sampler.sample(seed)
        text = caption(spec, np.random.default_rng(seed))
        assert parse_prompt(text).normalised() == describe(spec).normalised(), text


def test_captions_vary_their_wording():
    spec = SceneSampler(SamplerConfig(min_objects=2, max_objects=2)).sample(11)
    texts = {caption(spec, np.random.default_rng(i)) for i in range(30)}
    assert len(texts) >= 10


@pytest.mark.parametrize(
    "prompt, groups",
    [
        ("Two red balls bounce to the left on a grassy field.", [(2, "red", "ball", "bounce", "left")]),
        ("A small blue star falls onto the sand.", [(1, "blue", "star", "fall", "down")]),
        ("In the desert, three large violet cubes rest on the sand and a cyan ring drifts upward.",
         [(3, "purple", "box", "still", None), (1, "cyan", "ring", "fly", "up")]),
    ],
)
def test_hand_written_prompts_parse(prompt, groups):
    desc = parse_prompt(prompt)
    assert sorted((g.count, g.colour, g.shape, g.motion, g.direction) for g in desc.groups) == sorted(groups)


def test_parse_reads_scene_wide_words():
    desc = parse_prompt("Gajuta hops to the right at night, in slow motion. Pixel art, the camera zooms in. Cut to a wide shot.")
    assert (desc.background, desc.style, desc.speed, desc.camera, desc.cuts) == ("night", "pixel", "slow", "zoom_in", 1)
    assert [(c.name, c.motion, c.direction) for c in desc.characters] == [("Gajuta", "bounce", "right")]


def test_sampling_is_deterministic():
    assert SceneSampler().sample(5) == SceneSampler().sample(5)
    assert SceneSampler().sample(5) != SceneSampler().sample(6)


def test_heldout_rule_splits_cleanly():
    train = SceneSampler(SamplerConfig(split="train"))
    held = SceneSampler(SamplerConfig(split="heldout"))
    for seed in range(150):
        spec = train.sample(seed)
        assert split_of(spec) == "train"
        for o in spec.objects:
            assert o.is_character or not is_heldout_combo(o.colour, o.shape, spec.background)
            assert o.motion not in ("fly", "bounce", "roll") or not HELDOUT_SPEED[0] <= abs(o.vx) <= HELDOUT_SPEED[1]
        assert split_of(held.sample(seed)) == "heldout"


def test_distribution_controls():
    sampler = SceneSampler(SamplerConfig(split="any", backgrounds={"night": 1.0}, styles={"pixel": 1.0}, motions={"fall": 1.0}))
    for seed in range(20):
        spec = sampler.sample(seed)
        assert spec.background == "night" and spec.style == "pixel"
        assert {o.motion for o in spec.objects} == {"fall"}


@pytest.mark.parametrize(
    "config, message",
    [
        (SamplerConfig(split="test"), "unknown split"),
        (SamplerConfig(backgrounds={"moon": 1.0}), "zero weight"),
        (SamplerConfig(min_objects=3, max_objects=2), "object counts"),
        (SamplerConfig(width=99), "width must be an even number"),
    ],
)
def test_bad_sampler_config(config, message):
    with pytest.raises(SpecError, match=message):
        SceneSampler(config)
