"""Files hold personal data: only the service's own user may read them.

`restrict_files` sets the process umask to 077, so every file the service or the CLI
creates from then on (the SQLite database and its WAL, statements, payment files written
with `--out`, the development key) is 0600 and every directory 0700, whatever the calling
shell's umask; and it tightens the data directory and what is already in it (an
installation made before this rule had 0644 files).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def restrict_files(data_dir: Path) -> None:
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(parents=True, exist_ok=True)
    for folder, _dirs, files in os.walk(data_dir):
        _tighten(Path(folder), 0o700)
        for name in files:
            _tighten(Path(folder) / name, 0o600)


def _tighten(path: Path, mode: int) -> None:
    try:
        if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077:
            path.chmod(mode)
    except OSError:  # vanished meanwhile, or not ours: nothing to tighten
        pass
