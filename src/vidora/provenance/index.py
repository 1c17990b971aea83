"""The instance's fingerprint index: every video it made, by payload and by picture and sound fingerprint.

One SQLite file (by default ``$VIDORA_HOME/fingerprints.sqlite3``) shared by the CLI, the app's web
processes and its workers. It also holds the instance id (drawn at random when the file is
created), the upper bits of every watermark payload this instance embeds. Search compares the query
with every indexed video at once in numpy, roughly (a few of its frames), then the nearest few in full.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vidora.errors import VidoraError
from vidora.provenance.fingerprint import (
    INDEXED_VIEWS, PICTURE_MATCH, SOUND_MATCH, AudioFingerprint, VideoFingerprint, picture_distances, shortlist,
    sound_distances,
)
from vidora.provenance.payload import INSTANCE_BITS, Payload

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS videos (
    video_id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,          -- 16 hex digits
    created_at REAL NOT NULL,
    picture BLOB NOT NULL,          -- (views, T, 4) uint64 frame hashes of the first `views` INDEXED_VIEWS
    sound BLOB NOT NULL,            -- (T, 1) uint32 sub-fingerprints
    loud BLOB NOT NULL,             -- (T,) bool, packed
    info TEXT NOT NULL,             -- JSON: handle, model, task, parents
    views INTEGER NOT NULL DEFAULT 3
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
                _upgrade(db)
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
        if picture.views != INDEXED_VIEWS:
            raise ValueError("an indexed picture fingerprint has the INDEXED_VIEWS")
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO videos (video_id, payload, created_at, picture, sound, loud, info, views)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (video_id, payload.hex, time.time(), picture.hashes.tobytes(), sound.words.tobytes(),
                 np.packbits(sound.loud).tobytes(), json.dumps(info or {}), len(INDEXED_VIEWS)),
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

    def fingerprints(self) -> tuple[list[IndexedVideo], list[VideoFingerprint], list[AudioFingerprint]]:
        """Every indexed video with its picture and sound fingerprints."""
        videos, pictures, sounds = [], [], []
        with self._connect() as db:
            rows = db.execute("SELECT video_id, payload, created_at, info, picture, sound, loud, views FROM videos")
            for video_id, payload, created_at, info, picture_blob, sound_blob, loud_blob, views in rows:
                videos.append(_video(video_id, payload, created_at, info))
                pictures.append(VideoFingerprint(np.frombuffer(picture_blob, np.uint64).reshape(views, -1, 4), INDEXED_VIEWS[:views]))
                words = np.frombuffer(sound_blob, np.uint32).reshape(-1, 1)
                sounds.append(AudioFingerprint(words, np.unpackbits(np.frombuffer(loud_blob, np.uint8))[:len(words)].astype(bool)))
        return videos, pictures, sounds

    def search(self, picture: VideoFingerprint, sound: AudioFingerprint) -> SearchMatch | None:
        """The indexed video closest to the query (by picture, else by sound), or None if the index is empty."""
        videos, pictures, sounds = self.fingerprints()
        if not videos:
            return None
        chosen = shortlist(pictures, sounds, picture, sound)
        picture_distance = picture_distances([pictures[i] for i in chosen], picture)
        sound_distance = sound_distances([sounds[i] for i in chosen], sound)
        best = int(np.argmin(np.minimum(picture_distance / PICTURE_MATCH, sound_distance / SOUND_MATCH)))
        return SearchMatch(videos[chosen[best]], float(picture_distance[best]), float(sound_distance[best]))


def _upgrade(db: sqlite3.Connection) -> None:
    """Rows indexed before the corner views were hashed hold the first three views: say so."""
    if "views" not in {column[1] for column in db.execute("PRAGMA table_info(videos)")}:
        with suppress(sqlite3.OperationalError):  # another process has just added it
            db.execute("ALTER TABLE videos ADD COLUMN views INTEGER NOT NULL DEFAULT 3")


def _video(video_id: str, payload: str, created_at: float, info: str) -> IndexedVideo:
    return IndexedVideo(video_id, Payload.from_int(int(payload, 16)), created_at, json.loads(info))
