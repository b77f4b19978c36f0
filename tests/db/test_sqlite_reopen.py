"""A SQLite connection whose WAL switch meets a locked file is opened again, not lost: four
processes opening a new file at once made one of them fail (CI, 2026-12-02)."""

from __future__ import annotations

import sqlite3
from unittest.mock import patch

import peewee as pw
import pytest

from econ import db as econ_db
from econ.config import load_settings


def _database(tmp_path, monkeypatch):
    monkeypatch.setenv("ECON_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ECON_DATABASE_URL", "")
    return econ_db.create_database(load_settings())


def test_a_locked_file_is_opened_again(tmp_path, monkeypatch):
    database = _database(tmp_path, monkeypatch)
    real = pw.SqliteDatabase._connect
    calls = []

    def locked_twice(self):
        calls.append(1)
        if len(calls) <= 2:
            raise sqlite3.OperationalError("database is locked")
        return real(self)

    with patch.object(pw.SqliteDatabase, "_connect", locked_twice), patch("time.sleep"):
        database.connect()
    assert len(calls) == 3
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    database.close()


def test_any_other_error_is_not_retried(tmp_path, monkeypatch):
    database = _database(tmp_path, monkeypatch)
    calls = []

    def broken(self):
        calls.append(1)
        raise sqlite3.OperationalError("disk I/O error")

    with patch.object(pw.SqliteDatabase, "_connect", broken), pytest.raises(pw.OperationalError):
        database.connect()
    assert len(calls) == 1
