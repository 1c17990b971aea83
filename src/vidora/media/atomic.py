"""Write files so that readers never see a half-written one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vidora.errors import MediaError


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to `path`; move it into place only on success.

    The temporary file lives in the same directory so that os.replace is an
    atomic rename on the same filesystem. On any exception it is deleted and
    an existing file at `path` is left untouched. The caller creates the file
    (rather than mkstemp) so it gets the usual umask-based permissions.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise MediaError(f"output directory does not exist: {target.parent}")
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
