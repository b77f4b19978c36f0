"""Backup while the service writes, restore elsewhere: the audit chain is identical and
intact, files come back, keys never travel with the data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import peewee as pw
import pytest
from playhouse.db_url import connect

from econ.db import db
from econ.migrations import applied
from econ.operations.backup import backup
from econ.security import audit
from econ.security.roles import SYSTEM
from tests.conftest import SETTINGS
from tests.db.test_concurrent_migrations import fresh_postgres  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
CHAIN = "SELECT id, prev_hash, entry_hash, action, record_id FROM audit_entry ORDER BY id"


@pytest.fixture(autouse=True)
def planted(tmp_path):
    """Files a test puts in the shared data directory, removed afterwards (other tests read
    every file there)."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        path.unlink(missing_ok=True)


def _writer(stop: threading.Event, written: list[int]) -> None:
    db.connect(reuse_if_open=True)
    try:
        while not stop.is_set():
            audit.record(SYSTEM, "backup_test_write", "thing", len(written))
            written.append(1)
    finally:
        db.close()


def _econ(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "econ.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _backup_during_writes(tmp_path: Path, planted: list[Path]) -> tuple[Path, int]:
    for n in range(50):
        audit.record(SYSTEM, "before_backup", "thing", n)
    statement = SETTINGS.data_dir / "statements" / "2099-12" / "statement-backup-test.txt"
    statement.parent.mkdir(parents=True, exist_ok=True)
    statement.write_bytes(b"a stored document")
    planted.append(statement)
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(stop, written))
    thread.start()
    try:
        while len(written) < 20:  # the writer is busy when the snapshot starts
            threading.Event().wait(0.01)
        report = backup(SETTINGS, tmp_path / "backups", sorted(applied()), ["0"])
        at_end = len(written)
        while len(written) < at_end + 10:  # and still writing after it
            threading.Event().wait(0.01)
    finally:
        stop.set()
        thread.join()
    assert len(written) > 20
    return report.path, db.execute_sql("SELECT COUNT(*) FROM audit_entry").fetchone()[0]


def _chain(database: pw.Database) -> list[tuple]:
    return [tuple(row) for row in database.execute_sql(CHAIN).fetchall()]


def _check_restored(restored: pw.Database, folder: Path, total_after: int) -> None:
    chain = _chain(restored)
    restored.close()
    source = _chain(db)
    assert 50 < len(chain) < total_after  # the snapshot caught the writer mid-way
    assert chain == source[: len(chain)]  # identical entries, ids and hashes


def test_backup_never_holds_a_key_and_is_private(tmp_path, planted):
    key = SETTINGS.data_dir / "secret.key"
    assert not key.exists()  # the suite's key comes from ECON_SECRET_KEY
    key.write_text("not-for-backups\n")
    planted.append(key)
    folder = backup(SETTINGS, tmp_path / "b", sorted(applied()), ["0"]).path
    names = {p.name for p in folder.rglob("*")}
    assert "secret.key" not in names
    assert not any(b"not-for-backups" in p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["key_ids"] == ["0"] and manifest["migrations"] == sorted(applied())
    inside = _econ("backup", str(SETTINGS.data_dir / "x"))
    assert inside.returncode == 1 and "outside ECON_DATA_DIR" in inside.stderr


def test_backup_during_writes_restores_an_identical_intact_chain(tmp_path, request, planted):
    if SETTINGS.database_url:
        target_url = request.getfixturevalue("fresh_postgres")
        target = {"ECON_DATABASE_URL": target_url}
    else:
        target = {"ECON_DATABASE_URL": ""}
    folder, total_after = _backup_during_writes(tmp_path, planted)
    restored_dir = tmp_path / "restored"
    env = {**target, "ECON_DATA_DIR": str(restored_dir)}

    done = _econ("restore", str(folder), **env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "audit log intact" in done.stdout
    again = _econ("restore", str(folder), **env)
    assert again.returncode == 1 and "pass --force" in again.stderr
    verified = _econ("audit", "verify", **env)
    assert verified.returncode == 0 and "audit log intact" in verified.stdout
    restored = (
        connect(target["ECON_DATABASE_URL"])
        if target["ECON_DATABASE_URL"]
        else pw.SqliteDatabase(restored_dir / "econ.db")
    )
    _check_restored(restored, folder, total_after)
    document = restored_dir / "statements" / "2099-12" / "statement-backup-test.txt"
    assert document.read_bytes() == b"a stored document"


def test_a_damaged_backup_is_refused(tmp_path):
    folder = backup(SETTINGS, tmp_path / "b", sorted(applied()), ["0"]).path
    with (folder / "manifest.json").open() as handle:
        name = next(iter(json.load(handle)["sha256"]))
    with (folder / name).open("ab") as handle:
        handle.write(b"tampered")
    done = _econ("restore", str(folder), ECON_DATA_DIR=str(tmp_path / "r"), ECON_DATABASE_URL="")
    assert done.returncode == 1 and "changed since the backup" in done.stderr


@pytest.mark.parametrize("ring", ["2027a:" + "n" * 40])
def test_restore_refuses_a_ring_without_the_backups_keys(tmp_path, ring):
    folder = backup(SETTINGS, tmp_path / "b", sorted(applied()), ["0"]).path
    env = {"ECON_DATA_DIR": str(tmp_path / "r"), "ECON_SECRET_KEY": ""}
    done = _econ("restore", str(folder), ECON_SECRET_KEYS=ring, ECON_HASH_KEY="h" * 40, **env)
    assert done.returncode == 1 and "lacks key(s) 0" in done.stderr
