import numpy as np
import pytest

from vidora.errors import VidoraError
from vidora.provenance import add_visible_mark
from vidora.provenance.visible import SECONDS_PER_POSITION, mark_positions


def grey(frames, height, width):
    return np.full((frames, height, width, 3), 128, np.uint8)


@pytest.mark.parametrize("height, width", [(128, 128), (480, 832), (720, 1280), (1280, 720)])
def test_the_mark_moves_between_positions_over_time(height, width):
    fps = 16
    positions = mark_positions(int(4 * fps * SECONDS_PER_POSITION), fps, width, height, "ada")
    assert positions[0] == positions[fps - 1] != positions[fps]  # holds for a second, then jumps
    assert len(set(positions)) == 4
    marked = add_visible_mark(grey(2 * fps, height, width), fps, "ada")
    changed_first, changed_later = (np.any(marked[i] != 128, axis=-1) for i in (0, fps))
    assert changed_first.any() and changed_later.any() and not (changed_first & changed_later).any()


def test_the_mark_is_legible_at_128_pixels():
    marked = add_visible_mark(grey(1, 128, 128), 16, "ada_lovelace")[0].astype(int)
    rows, cols = np.nonzero(np.any(marked != 128, axis=-1))
    box = marked[rows.min():rows.max() + 1, cols.min():cols.max() + 1, 0]
    assert 18 <= box.shape[0] <= 40 and box.shape[1] <= 100  # two lines of about 10 px, a third of the width or so
    assert (box > 200).sum() > 40 and (box < 60).sum() > 100  # white letter strokes inside a dark outline


def test_a_long_handle_is_cut_and_the_frame_is_not_changed_in_place():
    frames = grey(4, 128, 128)
    long_mark = add_visible_mark(frames, 16, "x" * 200)
    assert (frames == 128).all()
    assert np.any(long_mark[0] != 128, axis=-1).any(axis=0).sum() < 128  # fits in the frame width


def test_bad_frames_are_refused():
    with pytest.raises(VidoraError, match="frames must be uint8"):
        add_visible_mark(np.zeros((2, 64, 64), np.float32), 16, "ada")
