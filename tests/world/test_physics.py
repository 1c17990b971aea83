import numpy as np
import pytest

from vidora.world import vocab
from vidora.world.physics import simulate
from vidora.world.spec import ObjectSpec, SceneSpec


def scene(*objects, frames=33, fps=16, speed=1.0):
    return SceneSpec(seed=0, background="studio", style="flat", objects=list(objects), frames=frames, fps=fps, speed=speed)


def test_dropped_ball_hits_the_floor_when_free_fall_says():
    h = 5.0
    traj = simulate(scene(ObjectSpec("medium", "rubber", "fall", 4.0, h, shape="ball", colour="red")))
    first = traj.impacts[0]
    r = vocab.SIZES["medium"]
    expected = np.sqrt(2 * (h - r) / vocab.GRAVITY)
    assert first.other == "floor"
    assert first.time == pytest.approx(expected, abs=1e-3)
    assert first.speed == pytest.approx(vocab.GRAVITY * expected, rel=0.01)


def test_bounces_lose_height_by_restitution_and_never_sink():
    traj = simulate(scene(ObjectSpec("medium", "wood", "fall", 4.0, 6.0, shape="box", colour="red"), frames=80))
    floor = [h for h in traj.impacts if h.other == "floor"]
    assert len(floor) >= 2
    e = vocab.MATERIALS["wood"].restitution
    assert floor[1].speed == pytest.approx(floor[0].speed * e, rel=0.03)
    assert traj.pos[:, 0, 1].min() >= vocab.SIZES["medium"] - 1e-6


def test_flying_object_keeps_speed_and_reflects_off_walls():
    traj = simulate(scene(ObjectSpec("small", "metal", "fly", 6.5, 4.0, vx=3.0, shape="star", colour="blue"), frames=40))
    assert any(h.other == "wall" for h in traj.impacts)
    speeds = np.hypot(*traj.vel[:, 0].T)
    assert np.allclose(speeds, 3.0)
    assert traj.vel[-1, 0, 0] < 0  # came back after the right wall


def test_elastic_collision_conserves_momentum_and_energy():
    a = ObjectSpec("medium", "rubber", "fly", 2.0, 4.0, vx=2.0, shape="ball", colour="red")
    b = ObjectSpec("large", "rubber", "fly", 5.0, 4.0, vx=-1.0, shape="ball", colour="blue")
    traj = simulate(scene(a, b, frames=20))
    assert any(h.other == "object:1" for h in traj.impacts)
    m = np.array([vocab.SIZES["medium"] ** 2, vocab.SIZES["large"] ** 2])
    before, after = traj.vel[0, :, 0], traj.vel[-1, :, 0]
    assert (m * after).sum() == pytest.approx((m * before).sum(), rel=1e-6)
    assert (m * after**2).sum() == pytest.approx((m * before**2).sum(), rel=1e-6)
    assert after[0] < 0 < after[1]


def test_rolling_ball_turns_with_its_speed_and_slows():
    traj = simulate(scene(ObjectSpec("medium", "rubber", "roll", 2.0, 0.72, vx=2.0, shape="ball", colour="red")))
    vx = traj.vel[:, 0, 0]
    assert 0 < vx[-1] < vx[0]
    turned = traj.angle[-1, 0]
    travelled = traj.pos[-1, 0, 0] - traj.pos[0, 0, 0]
    assert turned == pytest.approx(-travelled / 0.72, rel=0.02)


def test_grow_shrink_and_spin_stay_in_place():
    objs = [
        ObjectSpec("small", "glass", "grow", 2.0, 4.0, shape="ring", colour="pink"),
        ObjectSpec("medium", "glass", "shrink", 6.0, 4.0, shape="box", colour="green"),
        ObjectSpec("small", "glass", "spin", 4.0, 6.5, spin=3.0, shape="triangle", colour="cyan"),
    ]
    traj = simulate(scene(*objs))
    assert traj.scale[-1, 0] == pytest.approx(1.6) and traj.scale[-1, 1] == pytest.approx(0.5)
    assert np.allclose(traj.pos[:, :, :], traj.pos[0])
    assert traj.angle[-1, 2] == pytest.approx(3.0 * 32 / 16)


def test_slow_motion_plays_the_same_events_twice_as_long():
    obj = ObjectSpec("medium", "rubber", "fall", 4.0, 6.0, shape="ball", colour="red")
    normal, slow = simulate(scene(obj)), simulate(scene(obj, frames=65, speed=0.5))
    # Frame 2k of the slow clip shows simulated time k/fps; sub-steps are half as
    # long, so the integration differs slightly.
    assert slow.pos[32, 0, 1] == pytest.approx(normal.pos[16, 0, 1], abs=0.01)
    assert slow.impacts[0].time == pytest.approx(2 * normal.impacts[0].time, rel=1e-3)
