"""The instance's fingerprint index: every video it made, by payload and by picture and sound fingerprint.

One SQLite file (by default ``$VIDORA_HOME/fingerprints.sqlite3``) shared by the CLI, the app's web
processes and its workers. It also holds the instance id (drawn at random when the file is
created), the upper bits of every watermark payload this instance embeds. Search is a linear scan
over the fingerprints: fine for the tens of thousands of videos a self-hosted instance makes.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vidora.errors import VidoraError
from vidora.provenance.fingerprint import (
    CROP_SCALES, PICTURE_MATCH, SOUND_MATCH, AudioFingerprint, VideoFingerprint,
)
from vidora.provenance.payload import INSTANCE_BITS, Payload

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS videos (
    video_id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,          -- 16 hex digits
    created_at REAL NOT NULL,
    picture BLOB NOT NULL,          -- (len(CROP_SCALES), T, 4) uint64 frame hashes
    sound BLOB NOT NULL,            -- (T, 1) uint32 sub-fingerprints
    loud BLOB NOT NULL,             -- (T,) bool, packed
    info TEXT NOT NULL              -- JSON: handle, model, task, parents
);
CREATE INDEX IF NOT EXISTS videos_payload ON videos (payload);
"""


@dataclass
class IndexedVideo:
    video_id: str
    payload: Payload
    created_at: float
    info: dict = field(default_factory=dict)


@dataclass
class SearchMatch:
    """The closest indexed video and how far it is (share of differing bits; 1.0 = nothing to compare)."""

    video: IndexedVideo
    picture_distance: float
    sound_distance: float

    @property
    def by_picture(self) -> bool:
        return self.picture_distance <= PICTURE_MATCH

    @property
    def by_sound(self) -> bool:
        return self.sound_distance <= SOUND_MATCH


class FingerprintIndex:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=30)) as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
                with db:  # one transaction
                    yield db
        except sqlite3.DatabaseError as exc:
            raise VidoraError(f"fingerprint index {self.path} is unusable: {exc}") from exc

    @property
    def instance_id(self) -> int:
        """This instance's id, drawn once when the index is first used."""
        with self._connect() as db:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('instance_id', ?)", (str(secrets.randbelow(1 << INSTANCE_BITS)),))
            return int(db.execute("SELECT value FROM meta WHERE key = 'instance_id'").fetchone()[0])

    def add(self, video_id: str, picture: VideoFingerprint, sound: AudioFingerprint, info: dict | None = None) -> Payload:
        """Record a video (replacing an earlier record of the same id); returns its payload."""
        payload = Payload.for_video(self.instance_id, video_id)
        if picture.hashes.shape[0] != len(CROP_SCALES):
            raise ValueError(f"an indexed picture fingerprint has {len(CROP_SCALES)} crop scales")
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO videos VALUES (?, ?, ?, ?, ?, ?, ?)",
                (video_id, payload.hex, time.time(), picture.hashes.tobytes(), sound.words.tobytes(),
                 np.packbits(sound.loud).tobytes(), json.dumps(info or {})),
            )
        return payload

    def by_payload(self, payload: Payload) -> list[IndexedVideo]:
        """The videos of this instance whose watermark carries ``payload`` (usually one)."""
        with self._connect() as db:
            rows = db.execute("SELECT video_id, payload, created_at, info FROM videos WHERE payload = ?", (payload.hex,))
            return [_video(*row) for row in rows]

    def get(self, video_id: str) -> IndexedVideo | None:
        with self._connect() as db:
            row = db.execute("SELECT video_id, payload, created_at, info FROM videos WHERE video_id = ?", (video_id,)).fetchone()
        return _video(*row) if row else None

    def __len__(self) -> int:
        with self._connect() as db:
            return db.execute("SELECT count(*) FROM videos").fetchone()[0]

    def search(self, picture: VideoFingerprint, sound: AudioFingerprint) -> SearchMatch | None:
        """The indexed video closest to the query (by picture, else by sound), or None if the index is empty."""
        best: SearchMatch | None = None
        with self._connect() as db:
            rows = db.execute("SELECT video_id, payload, created_at, info, picture, sound, loud FROM videos")
            for video_id, payload, created_at, info, picture_blob, sound_blob, loud_blob in rows:
                stored_picture = VideoFingerprint(np.frombuffer(picture_blob, np.uint64).reshape(len(CROP_SCALES), -1, 4))
                words = np.frombuffer(sound_blob, np.uint32).reshape(-1, 1)
                stored_sound = AudioFingerprint(words, np.unpackbits(np.frombuffer(loud_blob, np.uint8))[:len(words)].astype(bool))
                match = SearchMatch(_video(video_id, payload, created_at, info),
                                    stored_picture.distance(picture), stored_sound.distance(sound))
                if best is None or _rank(match) < _rank(best):
                    best = match
        return best


def _rank(match: SearchMatch) -> float:
    """Closeness for ordering candidates: each distance relative to its own match threshold."""
    return min(match.picture_distance / PICTURE_MATCH, match.sound_distance / SOUND_MATCH)


def _video(video_id: str, payload: str, created_at: float, info: str) -> IndexedVideo:
    return IndexedVideo(video_id, Payload.from_int(int(payload, 16)), created_at, json.loads(info))
