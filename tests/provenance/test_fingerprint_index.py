import sqlite3

import numpy as np
import pytest
from PIL import Image

from vidora.errors import VidoraError
from vidora.media import read_mp4, write_mp4
from vidora.provenance import AudioFingerprint, FingerprintIndex, Payload, VideoFingerprint
from vidora.provenance.fingerprint import INDEXED_VIEWS, PICTURE_MATCH, QUERY_VIEWS, SOUND_MATCH


def crop(frames, area, corner=False):
    side = area**0.5
    h, w = frames.shape[1:3]
    ch, cw = int(h * side) // 2 * 2, int(w * side) // 2 * 2
    top, left = (h - ch, 0) if corner else ((h - ch) // 2, (w - cw) // 2)  # bottom left: where the mark starts
    return np.ascontiguousarray(frames[:, top:top + ch, left:left + cw])


def turn(frames, degrees):
    return np.stack([np.asarray(Image.fromarray(f).rotate(degrees, Image.BILINEAR)) for f in frames])


def resize(frames, scale):
    h, w = frames.shape[1:3]
    size = (int(w * scale) // 2 * 2, int(h * scale) // 2 * 2)
    return np.stack([np.asarray(Image.fromarray(f).resize(size, Image.BILINEAR)) for f in frames])


def reencoded(tmp_path, frames, audio, crf=30):
    path = write_mp4(tmp_path / "copy.mp4", frames, 16, audio, 16000, crf=crf)
    clip = read_mp4(path)
    return clip.frames, clip.audio


@pytest.fixture(scope="module")
def index(clips, tmp_path_factory):
    index = FingerprintIndex(tmp_path_factory.mktemp("index") / "fingerprints.sqlite3")
    for i, clip in enumerate(clips):
        index.add(f"video_{i}", VideoFingerprint.of(clip.frames, clip.fps), AudioFingerprint.of(clip.audio, clip.audio_rate),
                  info={"handle": "ada"})
    return index


def query(frames, audio):
    return VideoFingerprint.of(frames, 16, QUERY_VIEWS), AudioFingerprint.of(audio, 16000)


ATTACKS = {
    "H.264 CRF 40": lambda f, a: (f, a, 40),
    "half size": lambda f, a: (resize(f, 0.5), a, 30),
    "crop to 0.71 of the area": lambda f, a: (crop(f, 0.71), a, 30),
    "crop 0.71 + brightness 0.5": lambda f, a: ((crop(f, 0.71) * 0.5).astype(np.uint8), a * 0.5, 30),
    "1 s excerpt": lambda f, a: (f[8:24], a[8000:24000], 30),
    "1 s excerpt starting between hashed frames": lambda f, a: (f[9:25], a[9000:25000], 30),
    "mirrored": lambda f, a: (np.ascontiguousarray(f[:, :, ::-1]), a, 30),
    "turned 10 degrees": lambda f, a: (turn(f, 10), a, 30),
    "turned 7 degrees the other way": lambda f, a: (turn(f, -7), a, 30),
    "a corner cut off with the mark": lambda f, a: (crop(f, 0.64, corner=True), a, 30),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_copies_are_found_after_re_encoding_cropping_and_scaling(index, clips, tmp_path, attack):
    frames, audio, crf = ATTACKS[attack](clips[3].frames, clips[3].audio)
    match = index.search(*query(*reencoded(tmp_path, frames, audio, crf)))
    assert match.video.video_id == "video_3" and match.by_picture and match.by_sound
    assert match.video.info == {"handle": "ada"}


def test_an_index_made_before_the_corner_views_still_finds_its_videos(tmp_path, clips):
    old = sqlite3.connect(tmp_path / "old.sqlite3")
    old.execute("CREATE TABLE videos (video_id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_at REAL NOT NULL,"
                " picture BLOB NOT NULL, sound BLOB NOT NULL, loud BLOB NOT NULL, info TEXT NOT NULL)")
    picture, sound = VideoFingerprint.of(clips[1].frames, 16, INDEXED_VIEWS[:3]), AudioFingerprint.of(clips[1].audio, 16000)
    old.execute("INSERT INTO videos VALUES ('video_old', '00', 0, ?, ?, ?, '{}')",
                (picture.hashes.tobytes(), sound.words.tobytes(), np.packbits(sound.loud).tobytes()))
    old.commit()
    old.close()
    index = FingerprintIndex(tmp_path / "old.sqlite3")
    index.add("video_new", VideoFingerprint.of(clips[2].frames, 16), AudioFingerprint.of(clips[2].audio, 16000))
    for i, expected in ((1, "video_old"), (2, "video_new")):
        match = index.search(*query(clips[i].frames, clips[i].audio))
        assert match.video.video_id == expected and match.picture_distance == 0.0


def test_the_sound_track_alone_is_traced(index, clips, tmp_path):
    noise = np.random.default_rng(0).integers(0, 256, clips[0].frames.shape, dtype=np.uint8)
    match = index.search(*query(*reencoded(tmp_path, noise, clips[5].audio)))
    assert match.video.video_id == "video_5" and match.by_sound and not match.by_picture


def test_videos_not_in_the_index_do_not_match(index):
    from .conftest import world_clip

    for seed in range(3000, 3004):
        stranger = world_clip(seed)
        match = index.search(*query(stranger.frames, stranger.audio))
        assert match.picture_distance > PICTURE_MATCH and match.sound_distance > SOUND_MATCH


def test_silence_matches_nothing(index, clips):
    silent = AudioFingerprint.of(np.zeros(32000, np.float32), 16000)
    assert silent.is_silent and AudioFingerprint.of(None, 0).is_silent
    noise = np.random.default_rng(1).integers(0, 256, clips[0].frames.shape, dtype=np.uint8)
    match = index.search(VideoFingerprint.of(noise, 16, QUERY_VIEWS), silent)
    assert match.sound_distance == 1.0 and not match.by_picture


def test_payloads_lead_back_to_their_videos(index):
    payload = Payload.for_video(index.instance_id, "video_2")
    assert [v.video_id for v in index.by_payload(payload)] == ["video_2"]
    assert index.get("video_2").payload == payload and index.get("video_x") is None
    assert index.instance_id == FingerprintIndex(index.path).instance_id  # drawn once, kept in the file
    assert len(index) == 8


def test_an_empty_index_has_no_match_and_a_broken_one_says_so(tmp_path, clips):
    assert FingerprintIndex(tmp_path / "empty.sqlite3").search(*query(clips[0].frames, clips[0].audio)) is None
    (tmp_path / "broken.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(VidoraError, match="fingerprint index .* is unusable"):
        FingerprintIndex(tmp_path / "broken.sqlite3").instance_id
