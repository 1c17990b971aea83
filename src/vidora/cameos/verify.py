"""One verification: the recording, the challenge it had to contain, and what to redo when it fails."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from vidora.cameos.faces import SAME_FACE_DISTANCE, embedding, face_crop, face_distance, find_faces
from vidora.cameos.recording import read_recording
from vidora.cameos.speech import check_phrase

MIN_SECONDS = 2.0
MIN_FACE_SHARE = 0.7  # of the sampled frames, one face in view
MIN_TURN = 0.15  # range of Face.turn over the clip: about 20 degrees; a photo held up to the camera has none
EMBEDDED_FRAMES = 3  # the most frontal views, compared with one another and averaged


@dataclass
class Verification:
    problems: list[str]  # each says what to redo; empty when the recording passed
    heard: str = ""
    embedding: list[float] | None = None
    reference: Image.Image | None = None
    stats: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.problems


def verify_recording(path: str | os.PathLike[str], phrase: str) -> Verification:
    """Check that the clip at ``path`` shows one live face that turns and hears ``phrase`` read aloud.

    Raises MediaError when the file cannot be read as a video at all.
    """
    recording = read_recording(path)
    problems = []
    if recording.seconds < MIN_SECONDS:
        problems.append(f"The recording is only {recording.seconds:.1f} s long: read the whole phrase, then turn your head.")
    speech = check_phrase(recording.audio, phrase)
    if speech.silent:
        problems.append("We heard no voice: switch the microphone on and read the phrase aloud.")
    elif not speech.passed:
        problems.append(f"We did not hear the phrase (missing: {', '.join(speech.missing)}): "
                        f"read \"{phrase}\" aloud, clearly, facing the camera.")

    views = [(frame, find_faces(frame)) for frame in recording.frames]
    single = [(frame, faces[0]) for frame, faces in views if len(faces) == 1]
    crowded = sum(len(faces) > 1 for _, faces in views)
    stats = {"seconds": round(recording.seconds, 2), "frames": len(views), "face_frames": len(single),
             "words_heard": speech.matched, "heard": speech.heard}
    if len(single) < MIN_FACE_SHARE * len(views):
        if crowded > len(views) - len(single) - crowded:
            problems.append("More than one face was in view: record yourself alone.")
        else:
            problems.append("We could not see your face for most of the recording: keep your whole face in the frame, "
                            "in good light, facing the camera.")
        return Verification(problems, heard=speech.heard, stats=stats)

    turns = np.array([face.turn for _, face in single])
    stats["turn_range"] = round(float(turns.max() - turns.min()), 3)
    if stats["turn_range"] < MIN_TURN:
        problems.append("Your head did not turn: after reading the phrase, turn your head slowly to the left and then to "
                        "the right.")
    frontal = sorted(range(len(single)), key=lambda i: abs(turns[i]))[:EMBEDDED_FRAMES]
    vectors = [embedding(*single[i]) for i in frontal]
    spread = max((face_distance(a, b) for a in vectors for b in vectors), default=0.0)
    stats["embedding_spread"] = round(spread, 3)
    if spread >= SAME_FACE_DISTANCE:
        problems.append("The face changed during the recording: record only yourself, from start to end.")
    best = frontal[0]
    return Verification(problems, heard=speech.heard, embedding=np.mean(vectors, axis=0).tolist(),
                        reference=face_crop(*single[best]), stats=stats)
