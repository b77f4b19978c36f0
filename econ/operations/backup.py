"""Backup and restore: the database, consistently, plus the data directory's files; never keys.

A backup is one folder `econ-backup-<UTC time>` (mode 700) holding:

- `econ.db`: a SQLite snapshot made with SQLite's online backup API (consistent while the
  service keeps writing; WAL included), or `econ.pgdump`, a `pg_dump --format=custom`
  of the PostgreSQL database (one consistent snapshot too);
- `files/`: the data directory's documents (statements and the like), copied after the
  database snapshot so that every file a snapshot row names is there;
- `manifest.json`: when, which database kind, the applied migrations, the ids (never the
  secrets) of the keys needed to read it, and a SHA-256 of every file.

The keys (`secret.key`, the key ring) are never copied: a stolen backup must not open
itself. Keep them in a different place (a password manager, a sealed envelope).
`restore` refuses a database that has data unless told `force`, checks every checksum,
and leaves the audit chain exactly as it was at the snapshot (`econ audit verify`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from econ.config import Settings
from econ.errors import DomainError
from econ.operations.errors import OperationsCode

MANIFEST = "manifest.json"
SQLITE_FILE = "econ.db"
PG_FILE = "econ.pgdump"
# Never copied: the database itself (snapshotted instead) and every key.
_SKIP = {"econ.db", "econ.db-wal", "econ.db-shm", "secret.key"}


@dataclass(frozen=True)
class BackupReport:
    path: Path
    database: str
    files: int
    key_ids: tuple[str, ...]


def backup(
    settings: Settings, target: Path, applied: list[str], key_ids: list[str]
) -> BackupReport:
    """Write a new backup folder under `target`; returns where and what it holds."""
    data_dir = settings.data_dir.resolve()
    target = target.resolve()
    if target == data_dir or data_dir in target.parents:
        raise DomainError(
            OperationsCode.BACKUP_INSIDE_DATA, "write the backup outside ECON_DATA_DIR"
        )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = target / f"econ-backup-{stamp}"
    folder.mkdir(parents=True, mode=0o700)
    old_umask = os.umask(0o077)  # ciphertext and case data: readable by this user only
    try:
        if settings.database_url:
            _pg_dump(settings.database_url, folder / PG_FILE)
            kind, db_file = "postgresql", PG_FILE
        else:
            _sqlite_snapshot(settings.sqlite_path, folder / SQLITE_FILE)
            kind, db_file = "sqlite", SQLITE_FILE
        files = _copy_files(data_dir, folder / "files", skip=_keyring_paths())
        manifest = {
            "format": 1,
            "created_at": stamp,
            "database": kind,
            "database_file": db_file,
            "migrations": applied,
            "key_ids": key_ids,  # the keys its sealed values are under (`v1`: before ids)
            "sha256": {
                name: _sha256(folder / name) for name in [db_file, *(f"files/{f}" for f in files)]
            },
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    finally:
        os.umask(old_umask)
    return BackupReport(folder, kind, len(files), tuple(manifest["key_ids"]))


def _sqlite_snapshot(source: Path, destination: Path) -> None:
    if not source.exists():
        raise DomainError(OperationsCode.NO_DATABASE, f"no SQLite database at {source}")
    src = sqlite3.connect(_read_only(source), uri=True, timeout=30)
    dst = sqlite3.connect(destination)
    try:
        with dst:
            src.backup(dst)  # one step: a single read transaction, so one consistent state
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def _read_only(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"  # as_uri escapes spaces, '?' and '#'


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DomainError(
            OperationsCode.NO_PG_TOOLS,
            f"{name} not found: install the PostgreSQL client (Debian: postgresql-client) "
            "of the server's major version",
        )
    return found


def _pg_dump(url: str, destination: Path) -> None:
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(destination), url])


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise DomainError(
            OperationsCode.PG_TOOL_FAILED, f"{Path(command[0]).name}: {done.stderr.strip()}"
        )


def _keyring_paths() -> set[Path]:
    """The key ring file, should someone keep it inside the data directory."""
    ring = os.environ.get("ECON_KEYRING_FILE", "").strip()
    return {Path(ring).resolve()} if ring else set()


def _copy_files(data_dir: Path, destination: Path, skip: set[Path]) -> list[str]:
    copied = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if not path.is_file() or path.name in _SKIP or path.resolve() in skip:
            continue
        if relative.parts[0].startswith("econ-backup-"):
            continue
        (destination / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination / relative)
        copied.append(relative.as_posix())
    return copied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        raise DomainError(
            OperationsCode.NOT_A_BACKUP, f"{folder} has no readable {MANIFEST}"
        ) from None
    for name, expected in manifest["sha256"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected:
            raise DomainError(
                OperationsCode.BACKUP_DAMAGED, f"{name} is missing or changed since the backup"
            )
    return manifest


def restore(settings: Settings, folder: Path, *, has_data: bool, force: bool) -> dict:
    """Put a backup in place of the configured database and data directory files."""
    manifest = read_manifest(folder)
    wanted = "postgresql" if settings.database_url else "sqlite"
    if manifest["database"] != wanted:
        raise DomainError(
            OperationsCode.WRONG_DATABASE,
            f"this backup is of {manifest['database']}, the target is {wanted}",
        )
    missing = set(manifest["key_ids"]) - {key_id for key_id, _ in settings.field_keys} - {"v1"}
    if missing:
        raise DomainError(
            OperationsCode.KEYS_MISSING,
            f"the key ring lacks key(s) {', '.join(sorted(missing))} that this backup needs",
        )
    if has_data and not force:
        raise DomainError(
            OperationsCode.TARGET_NOT_EMPTY,
            "the target database has data: stop the service and pass --force to replace it",
        )
    if wanted == "sqlite":
        _restore_sqlite(folder / SQLITE_FILE, settings.sqlite_path)
    else:
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--single-transaction", "--dbname", settings.database_url,
              str(folder / PG_FILE)])  # fmt: skip
    files = folder / "files"
    if files.is_dir():
        shutil.copytree(files, settings.data_dir, dirs_exist_ok=True)
    return manifest


def _restore_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(_read_only(source), uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        with dst:
            src.backup(dst)  # replaces the content page by page, WAL and all, under a lock
    finally:
        dst.close()
        src.close()
