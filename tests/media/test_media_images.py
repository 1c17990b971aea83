"""Thumbnails, animated previews and contact sheets are valid images of the right shape."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from vidora.errors import MediaError
from vidora.media import (
    Clip,
    contact_sheet,
    save_contact_sheet,
    save_preview,
    save_thumbnail,
)
from vidora.media.images import sample_indices


def test_thumbnail_is_the_middle_frame_by_default(tmp_path, make_frames):
    frames = make_frames(9, 48, 80)
    path = save_thumbnail(frames, tmp_path / "thumb.png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (80, 48)
        assert np.array_equal(np.asarray(image.convert("RGB")), frames[4])


def test_thumbnail_of_a_chosen_frame(tmp_path, make_frames):
    frames = make_frames(9, 48, 80)
    with Image.open(save_thumbnail(frames, tmp_path / "thumb.png", index=-1)) as image:
        assert np.array_equal(np.asarray(image.convert("RGB")), frames[-1])


def test_thumbnail_rejects_bad_index_and_suffix(tmp_path, make_frames):
    frames = make_frames(3, 16, 16)
    with pytest.raises(MediaError, match="thumbnail index must be an integer from -3 to 2, got 3"):
        save_thumbnail(frames, tmp_path / "thumb.png", index=3)
    with pytest.raises(MediaError, match="thumbnail must be a .png file: thumb.jpg"):
        save_thumbnail(frames, tmp_path / "thumb.jpg")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("suffix", "image_format"), [(".webp", "WEBP"), (".gif", "GIF")])
def test_preview_is_animated_with_every_frame(tmp_path, make_frames, suffix, image_format):
    frames = make_frames(12, 40, 64)
    path = save_preview(frames, tmp_path / f"preview{suffix}", fps=16)
    with Image.open(path) as image:
        assert image.format == image_format
        assert image.size == (64, 40)
        assert image.is_animated and image.n_frames == 12
        total_ms = 0
        for index in range(image.n_frames):
            image.seek(index)
            image.load()  # WebP reports a frame's duration only once it is decoded
            total_ms += image.info["duration"]
        assert total_ms == pytest.approx(12 / 16 * 1000, abs=10)


def test_preview_rejects_other_formats(tmp_path, make_frames):
    with pytest.raises(MediaError, match="preview must be a .webp or .gif file: preview.mp4"):
        save_preview(make_frames(2, 16, 16), tmp_path / "preview.mp4", fps=8)
    with pytest.raises(MediaError, match="fps must be a positive number"):
        save_preview(make_frames(2, 16, 16), tmp_path / "preview.gif", fps=0)


def test_contact_sheet_has_one_row_per_clip(make_frames):
    clips = [make_frames(20, 48, 64), make_frames(5, 48, 64)]
    sheet = contact_sheet(clips, frames_per_clip=4)
    assert sheet.mode == "RGB"
    # 4 cells of 64 px with 4 px gaps around them, 2 rows of 48 px likewise.
    assert sheet.size == (4 * 64 + 5 * 4, 2 * 48 + 3 * 4)
    first_cell = np.asarray(sheet)[4 : 4 + 48, 4 : 4 + 64]
    assert np.array_equal(first_cell, clips[0][0])


def test_contact_sheet_with_labels_and_cell_size(make_frames):
    clips = [make_frames(8, 96, 160), Clip(make_frames(8, 64, 64), 8, None, 0)]
    plain = contact_sheet(clips, frames_per_clip=3, cell_size=(80, 48))
    labels = ["a ball", "a dog"]
    labelled = contact_sheet(clips, frames_per_clip=3, cell_size=(80, 48), labels=labels)
    assert plain.size == (3 * 80 + 4 * 4, 2 * 48 + 3 * 4)
    assert labelled.width == plain.width and labelled.height > plain.height


def test_contact_sheet_rejects_mismatched_labels(make_frames):
    with pytest.raises(MediaError, match="got 1 labels for 2 clips"):
        contact_sheet([make_frames(2, 16, 16)] * 2, labels=["only one"])
    with pytest.raises(MediaError, match="contact sheet needs at least one clip"):
        contact_sheet([])


def test_saved_contact_sheet_is_a_png(tmp_path, make_frames):
    path = save_contact_sheet([make_frames(6, 32, 32)], tmp_path / "sheet.png", frames_per_clip=3)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (3 * 32 + 4 * 4, 32 + 2 * 4)


def test_samples_spread_over_the_clip():
    assert sample_indices(33, 4) == [0, 11, 21, 32]
    assert sample_indices(2, 8) == [0, 1] and sample_indices(0, 8) == []
