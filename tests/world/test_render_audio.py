import numpy as np
import pytest
from PIL import Image

from vidora.world import vocab
from vidora.world.audio import impact_sound
from vidora.world.characters import ROSTER_SIZE, _distinct, roster, save_reference, sprite
from vidora.world.clip import render_clip
from vidora.world.spec import ObjectSpec, SceneSpec, ShotSpec


def scene(objects, **kw):
    return SceneSpec(**{"seed": 4, "background": "studio", "style": "flat", "objects": objects, "frames": 17, **kw})


BALL = ObjectSpec("large", "rubber", "fall", 4.0, 5.0, shape="ball", colour="blue")


def test_same_spec_same_clip_and_seed_changes_texture():
    a, b = render_clip(scene([BALL])), render_clip(scene([BALL]))
    assert np.array_equal(a.frames, b.frames) and np.array_equal(a.audio, b.audio)
    c = render_clip(scene([BALL], seed=5))
    assert not np.array_equal(a.frames, c.frames)


def test_object_is_drawn_in_its_named_colour_where_truth_says():
    clip = render_clip(scene([BALL]))
    for k in (0, 8, 16):
        x, y = clip.truth["objects"][0]["screen"][k]
        assert np.abs(clip.frames[k, int(y), int(x)].astype(int) - vocab.COLOURS["blue"].rgb).max() <= 8
        assert clip.truth["objects"][0]["visibility"][k] > 0.95


@pytest.mark.parametrize("name", list(vocab.BACKGROUNDS))
def test_backgrounds_differ(name):
    means = {b: render_clip(scene([BALL], background=b)).frames.mean(axis=(0, 2)) for b in (name, "studio" if name != "studio" else "sky")}
    a, b = means.values()
    assert np.abs(a - b).mean() > 10


def test_styles_change_the_picture():
    base = render_clip(scene([BALL])).frames.astype(int)
    for style in vocab.STYLES[1:]:
        other = render_clip(scene([BALL], style=style)).frames.astype(int)
        assert np.abs(other - base).mean() > 1.0, style


def test_pan_moves_the_background_and_a_cut_reframes():
    static = render_clip(scene([BALL]))
    pan = render_clip(scene([BALL], shots=[ShotSpec(0, camera="pan_right")]))
    cams = np.array(pan.truth["camera"])
    assert cams[-1, 0] > cams[0, 0]
    # Panning right slides the scenery left on screen.
    assert not np.array_equal(pan.frames[0], pan.frames[-1])
    assert pan.truth["objects"][0]["screen"][0][0] > static.truth["objects"][0]["screen"][0][0]
    cut = render_clip(scene([BALL], shots=[ShotSpec(0), ShotSpec(8, framing="close", subject=0)]))
    vh = np.array(cut.truth["camera"])[:, 2]
    assert vh[7] > vh[8] and cut.truth["shot_starts"] == [0, 8]
    # The object keeps its state across the cut: the simulation does not restart.
    assert cut.truth["objects"][0]["position"] == static.truth["objects"][0]["position"]


def test_impacts_sound_on_their_sample():
    clip = render_clip(scene([BALL]))
    hit = clip.truth["impacts"][0]
    i = round(hit["time"] * vocab.AUDIO_RATE)
    before = np.abs(clip.audio[i - 200 : i - 8]).max()
    after = np.abs(clip.audio[i : i + 40]).max()
    assert after > 4 * before
    assert clip.audio.dtype == np.float32 and clip.audio.size == round(17 / 16 * vocab.AUDIO_RATE)


def _centroid(x):
    spec = np.abs(np.fft.rfft(x))
    return (spec * np.fft.rfftfreq(x.size, 1 / vocab.AUDIO_RATE)).sum() / spec.sum()


def test_impact_sound_depends_on_size_material_and_speed():
    rng = lambda: np.random.default_rng(0)  # noqa: E731
    small = impact_sound("wood", 0.5, 4.0, vocab.AUDIO_RATE, rng())
    large = impact_sound("wood", 1.0, 4.0, vocab.AUDIO_RATE, rng())
    assert _centroid(small) > _centroid(large)
    metal = impact_sound("metal", 0.72, 4.0, vocab.AUDIO_RATE, rng())
    rubber = impact_sound("rubber", 0.72, 4.0, vocab.AUDIO_RATE, rng())
    assert metal.size > 3 * rubber.size  # metal rings on
    soft = impact_sound("wood", 0.72, 1.0, vocab.AUDIO_RATE, rng())
    hard = impact_sound("wood", 0.72, 6.0, vocab.AUDIO_RATE, rng())
    assert np.abs(hard).max() > 3 * np.abs(soft).max()


def test_roster_is_stable_unique_and_visibly_distinct(tmp_path):
    chars = roster()
    assert len(chars) == ROSTER_SIZE == len({c.name for c in chars})
    assert all(_distinct(a, b) for i, a in enumerate(chars) for b in chars[i + 1 :])
    # Identities are part of the product (cameos refer to them): pin the first few.
    assert [c.name for c in chars[:3]] == PINNED_NAMES
    path = save_reference(0, tmp_path / "c.png", size=128)
    img = Image.open(path)
    assert img.mode == "RGBA" and img.size == (128, 128)
    assert np.array_equal(np.asarray(img), sprite(0, 128))


PINNED_NAMES = ["Gajuta", "Gazulu", "Hojumi"]
