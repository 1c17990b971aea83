"""Where an instance keeps its provenance state, and what it stamps, from environment variables.

The CLI and the library read the environment; the app passes its own home directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vidora.errors import VidoraError
from vidora.provenance.credentials import Credentials
from vidora.provenance.index import FingerprintIndex

DEFAULT_MAX_VERIFY_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class ProvenanceSettings:
    home: Path
    credentials_dir: Path  # VIDORA_C2PA_DIR: root CA, signing certificate and keys
    index_path: Path  # VIDORA_FINGERPRINT_INDEX: the SQLite fingerprint index
    visible_mark: bool = True  # VIDORA_VISIBLE_WATERMARK: draw the moving "Vidora @handle" mark
    max_verify_bytes: int = DEFAULT_MAX_VERIFY_BYTES  # VIDORA_VERIFY_MAX_BYTES: larger files are refused

    @classmethod
    def from_env(cls, home: str | Path | None = None, environ: Mapping[str, str] = os.environ) -> ProvenanceSettings:
        """Settings for the instance at ``home`` (default: VIDORA_HOME, else ./var)."""
        root = Path(home or environ.get("VIDORA_HOME") or Path.cwd() / "var").resolve()
        return cls(
            home=root,
            credentials_dir=Path(environ.get("VIDORA_C2PA_DIR") or root / "c2pa"),
            index_path=Path(environ.get("VIDORA_FINGERPRINT_INDEX") or root / "fingerprints.sqlite3"),
            visible_mark=_flag(environ, "VIDORA_VISIBLE_WATERMARK", True),
            max_verify_bytes=_positive_int(environ, "VIDORA_VERIFY_MAX_BYTES", DEFAULT_MAX_VERIFY_BYTES),
        )

    @property
    def credentials(self) -> Credentials:
        return Credentials(self.credentials_dir)

    @property
    def index(self) -> FingerprintIndex:
        return FingerprintIndex(self.index_path)


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise VidoraError(f"{name} must be on or off, got {value!r}")


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise VidoraError(f"{name} must be a positive whole number of bytes, got {value!r}")
    return int(value)
