"""Scenes and track edits shared by the evaluator's tests."""

from __future__ import annotations

import copy

import numpy as np

from vidora.eval.tracks import Track
from vidora.world.spec import ObjectSpec, SceneSpec


def lively_scene(
    motions: tuple[str, str, str] = ("bounce", "fall", "fly"), background: str = "sky", size: int = 64, **changes
) -> SceneSpec:
    """A ball thrown sideways, a box dropped, a star flying into a wall: floor and
    wall bounces and collisions, about 150-250 ms apart."""
    return SceneSpec(
        seed=7,
        background=background,
        style="flat",
        objects=[
            ObjectSpec(size="medium", material="rubber", motion=motions[0], x=1.5, y=2.5, vx=4.0, vy=2.0, shape="ball", colour="red"),
            ObjectSpec(size="small", material="metal", motion=motions[1], x=6.3, y=4.0, shape="box", colour="blue"),
            ObjectSpec(size="small", material="glass", motion=motions[2], x=4.0, y=6.8, vx=-5.0, shape="star", colour="yellow"),
        ],
        width=size,
        height=size,
        **changes,
    )


def reordered(tracks: list[Track], order: np.ndarray) -> list[Track]:
    """The tracks a detector would report if the clip's frames came in ``order``."""
    out = []
    for t in tracks:
        t = copy.deepcopy(t)
        t.xy, t.area = t.xy[order], t.area[order]
        t.frame_labels = [t.frame_labels[k] for k in order]
        out.append(t)
    return out
