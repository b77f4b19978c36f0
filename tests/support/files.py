"""Reading a live SQLite database's files from a test, safely.

Closing any file descriptor of a file releases every POSIX lock this process holds on
it, including the locks SQLite's open connections hold on the database and its `-shm`
WAL index (SQLite's "how to corrupt a database", section 2.2). A test that reads
`econ.db-shm` with `Path.read_bytes()` while a connection is open leaves the next
connection failing with "disk I/O error". So the bytes are read by a child process,
whose descriptors are not ours.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path


def live_file_bytes(paths: Iterable[Path | str]) -> bytes:
    """The content of these files, concatenated (missing ones skipped), read by `cat`."""
    existing = [str(p) for p in paths if Path(p).exists()]
    if not existing:
        return b""
    return subprocess.run(["cat", *existing], capture_output=True, check=True, timeout=120).stdout
