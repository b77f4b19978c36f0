"""Statement files under `$ECON_DATA_DIR/statements/<YYYY-MM>/`: atomic writes, SHA-256.

A file is written to a temporary name in the same directory, flushed to disk and renamed
into place, so a reader (or a crash) never sees half a PDF. Paths in the database
are relative to the data directory, so the directory can move (a shared volume).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from econ.config import get_settings

ROOT = "statements"


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to the data directory
    sha256: str
    size: int


def data_dir() -> Path:
    return Path(get_settings().data_dir)


def statement_path(period: str, statement_id: int, content: bytes) -> str:
    """A version's own file, named by its content: a new version never overwrites the
    one she read, and writing the same content again (a retried task) is harmless."""
    return f"{ROOT}/{period}/statement-{statement_id}-{sha256(content)[:16]}.pdf"


def _absolute(relative: str) -> Path:
    root = data_dir().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:  # a stored path must never point outside the data dir
        raise ValueError(f"path outside the data directory: {relative}")
    return path


def write_atomic(relative: str, content: bytes) -> StoredFile:
    path = _absolute(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return StoredFile(relative, sha256(content), len(content))


def read(relative: str) -> bytes:
    return _absolute(relative).read_bytes()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
