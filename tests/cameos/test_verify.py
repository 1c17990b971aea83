import random

import numpy as np
import pytest
from PIL import Image

from vidora.cameos import (CHALLENGE_WORDS, SAME_FACE_DISTANCE, face_distance, faces_in, new_challenge, read_character_upload,
                           reference_from_upload, verify_recording)
from vidora.cameos.challenge import CHALLENGE_LENGTH
from vidora.cameos.speech import check_phrase
from vidora.errors import MediaError

from .recordings import OTHER_PHRASE, PHRASE, astronaut, clip, hopper, spoken, verified_once, write_clip


def verified(face: str = "hopper", said: str = PHRASE, turn: bool = True):
    """Each recording is checked against PHRASE once per test process."""
    return verified_once(clip(face, said, turn), PHRASE)


def test_challenges_are_random_words_from_the_list():
    phrases = {new_challenge() for _ in range(50)}
    assert len(phrases) == 50
    for phrase in phrases:
        words = phrase.split()
        assert len(words) == len(set(words)) == CHALLENGE_LENGTH and set(words) <= set(CHALLENGE_WORDS)
    assert new_challenge(random.Random(1)) == new_challenge(random.Random(1))


def test_a_live_face_reading_the_phrase_and_turning_passes():
    result = verified()
    assert result.passed, result.problems
    assert result.stats["face_frames"] == result.stats["frames"] and result.stats["turn_range"] >= 0.15
    assert len(result.embedding) == 128 and result.stats["embedding_spread"] < SAME_FACE_DISTANCE
    width, height = result.reference.size
    assert 100 <= width == height  # a square head shot for the engine


def test_embeddings_tell_two_people_apart_and_know_one_person_again():
    hopper = verified()
    hopper_again = verified(said=OTHER_PHRASE)  # fails the phrase, same face
    astronaut = verified("astronaut")
    assert astronaut.passed, astronaut.problems
    assert face_distance(hopper.embedding, hopper_again.embedding) < SAME_FACE_DISTANCE
    assert face_distance(hopper.embedding, astronaut.embedding) > SAME_FACE_DISTANCE


def test_the_wrong_phrase_is_refused_with_what_to_say():
    result = verified(said=OTHER_PHRASE)
    assert not result.passed
    assert len(result.problems) == 1 and "did not hear the phrase" in result.problems[0] and PHRASE in result.problems[0]


def test_a_still_photo_is_refused_because_the_head_does_not_turn():
    result = verified(turn=False)
    assert len(result.problems) == 1
    assert "did not turn" in result.problems[0] and result.stats["turn_range"] < 0.05


def test_no_face_is_refused():
    result = verified("none")
    assert len(result.problems) == 1 and "could not see your face" in result.problems[0]
    assert result.embedding is None and result.reference is None


def test_silence_and_a_short_clip_say_what_to_redo(tmp_path):
    frames = [np.full((64, 64, 3), 120, np.uint8)] * 10
    path = write_clip(tmp_path / "quiet.mp4", frames, np.zeros(0, np.int16))
    problems = verify_recording(path, PHRASE).problems
    assert any("only 1.0 s long" in p for p in problems)
    assert any("heard no voice" in p for p in problems)
    assert any("could not see your face" in p for p in problems)


def test_two_missed_words_are_forgiven_three_are_not():
    words, other = PHRASE.split(), OTHER_PHRASE.split()
    assert check_phrase(spoken(PHRASE), PHRASE).passed
    assert check_phrase(spoken(" ".join(words[:2] + [words[3]] + other[3:])), PHRASE).passed  # "penguin" is never heard
    assert not check_phrase(spoken(" ".join(words[:2] + other[2:])), PHRASE).passed


def test_files_that_are_not_videos_are_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a video")
    with pytest.raises(MediaError, match="cannot read notes.txt as a video"):
        verify_recording(path, PHRASE)


def test_character_references_from_an_image_or_a_clip(tmp_path):
    sprite = Image.new("RGBA", (900, 600), (0, 0, 0, 0))
    sprite.paste((200, 40, 40, 255), (300, 200, 600, 400))
    sprite.save(tmp_path / "cat.png")
    reference = reference_from_upload(tmp_path / "cat.png")
    assert reference.mode == "RGBA" and reference.size == (512, 341) and reference.getpixel((0, 0))[3] == 0
    blurred = np.full((64, 64, 3), 100, np.uint8)
    sharp = blurred.copy()
    sharp[::2] = 250
    path = write_clip(tmp_path / "pet.mp4", [blurred] * 6 + [sharp] * 6 + [blurred] * 6, np.zeros(0, np.int16))
    assert np.asarray(reference_from_upload(path))[..., 0].std() > 50  # the sharp frame
    (tmp_path / "bad.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(MediaError):
        reference_from_upload(tmp_path / "bad.png")


def test_real_peoples_faces_are_told_from_drawn_ones_pets_and_objects(tmp_path):
    from skimage import data

    from vidora.world.characters import by_name, sprite

    def faces(name, picture):
        Image.fromarray(picture).save(tmp_path / name)
        return faces_in(read_character_upload(tmp_path / name))

    assert [f.is_human() for f in faces("grace.jpg", hopper())] == [True]
    assert any(f.is_human() for f in faces("eileen.png", astronaut()))
    kisu = faces("kisu.png", sprite(by_name("Kisu").index, 256))
    assert kisu and not any(f.is_human() for f in kisu)  # dlib's HOG detector sees a face in the drawing; it is no person
    assert not any(f.is_human() for f in faces("chelsea.jpg", data.chelsea()))  # a cat
    assert not any(f.is_human() for f in faces("coffee.png", data.coffee()))
    # A clip is looked at beyond its picture (its sharpest frame, here stripes): the person in its other frames counts.
    person = np.asarray(Image.fromarray(hopper()).resize((192, 224)))
    stripes = np.full_like(person, 100)
    stripes[::2] = 250
    path = write_clip(tmp_path / "pet.mp4", [person] * 8 + [stripes] * 8, np.zeros(0, np.int16))
    upload = read_character_upload(path)
    assert np.asarray(upload.picture)[..., 0].std() > 50 and any(f.is_human() for f in faces_in(upload))
