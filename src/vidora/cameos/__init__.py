"""Cameo verification: is this recording a live person reading the challenge we showed them?

Offline, on CPU, with the models that ship in PyPI wheels: pocketsphinx (its US English acoustic model and
dictionary) listens for the challenge phrase, and dlib (with face_recognition_models' detector, landmark and
embedding weights) checks that one face is in view throughout, turns, and stays the same face. The result also
carries that face's embedding (so one face gets one cameo) and a reference picture for the engine.

The app (vidora.app.cameos) runs this in a Celery job; nothing here imports Django.
"""

from vidora.cameos.challenge import CHALLENGE_WORDS, new_challenge
from vidora.cameos.faces import SAME_FACE_DISTANCE, face_distance
from vidora.cameos.references import (CHARACTER_FACE_DISTANCE, face_embeddings, faces_in, read_character_upload,
                                      reference_from_upload)
from vidora.cameos.verify import Verification, verify_recording

__all__ = [
    "CHARACTER_FACE_DISTANCE",
    "CHALLENGE_WORDS",
    "SAME_FACE_DISTANCE",
    "Verification",
    "face_distance",
    "face_embeddings",
    "faces_in",
    "new_challenge",
    "read_character_upload",
    "reference_from_upload",
    "verify_recording",
]
