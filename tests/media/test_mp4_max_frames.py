import numpy as np
import pytest

from vidora.errors import MediaError
from vidora.media import read_mp4


def test_reading_can_stop_after_max_frames(written_clip):
    whole = read_mp4(written_clip.path)
    head = read_mp4(written_clip.path, max_frames=10)
    assert len(head.frames) == 10 and np.array_equal(head.frames, whole.frames[:10])
    assert len(head.audio) == round(10 / 16 * head.audio_rate)  # the sound of those frames, no more
    assert len(read_mp4(written_clip.path, max_frames=1000).frames) == len(whole.frames)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_max_frames_must_be_a_positive_integer(written_clip, bad):
    with pytest.raises(MediaError, match="max_frames must be a positive integer"):
        read_mp4(written_clip.path, max_frames=bad)
