"""Key rotation: values name their key; `econ keys rotate` re-seals everything, survives a
kill half-way and resumes; afterwards the old key leaves the ring and every value reads,
sessions and the audit chain carry on (the hashing key is separate)."""

from __future__ import annotations

import base64
import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from econ import demo
from econ.config import get_settings, use_settings
from econ.db import db
from econ.operations import keys
from econ.operations.sealed import COLUMNS
from econ.security import crypto
from tests.conftest import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
OLD = SETTINGS.secret_key
NEW = "n" * 20 + "fresh-key-for-rotation-tests"
RING = f"2027a:{NEW},0:{OLD}"


@pytest.fixture
def ring():
    """Switch this process to a key ring for the test (restored afterwards)."""

    def use(entries: str) -> None:
        parsed = tuple(tuple(e.split(":", 1)) for e in entries.split(","))
        use_settings(dataclasses.replace(SETTINGS, secret_key="", secret_keys=parsed, hash_key=OLD))

    yield use
    use_settings(SETTINGS)


def _econ(*args: str, ring_entries: str = RING, **popen) -> subprocess.Popen:
    env = {**os.environ, "ECON_SECRET_KEYS": ring_entries, "ECON_HASH_KEY": OLD}
    env.pop("ECON_SECRET_KEY")
    return subprocess.Popen(
        [sys.executable, "-m", "econ.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def _finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=180)
    return process.returncode, out + err


def _under(key_id: str) -> int:
    return sum(counts.get(key_id, 0) for counts in keys.inventory().values())


def test_values_name_their_key_and_old_values_still_read(ring):
    sealed = crypto.encrypt("Maria Popescu", "participant_pii.legal_name.1")
    assert sealed.startswith("v2:0:")
    # A value from before key ids: v1 and no key id, sealed with the legacy key.
    key = crypto._derive(OLD, b"econ field encryption v1")
    raw = b"\x00" * 12 + AESGCM(key).encrypt(b"\x00" * 12, b"legacy", b"ctx")
    legacy = "v1:" + base64.b64encode(raw).decode()
    ring(RING)
    assert crypto.encrypt("x", "ctx").startswith("v2:2027a:")
    assert crypto.decrypt(sealed, "participant_pii.legal_name.1") == "Maria Popescu"
    assert crypto.decrypt(legacy, "ctx") == "legacy"
    ring(f"2027a:{NEW}")
    with pytest.raises(ValueError, match="key '0' is not in the key ring"):
        crypto.decrypt(sealed, "participant_pii.legal_name.1")


def test_every_sealed_value_in_the_database_is_in_a_listed_column(api):
    """A new encrypted column missing from econ.operations.sealed would never be rotated."""
    demo.load()
    listed = {(c.table, c.column) for c in COLUMNS}
    found = set()
    for table in db.get_tables():
        for column in db.get_columns(table):
            if column.data_type.upper() not in ("TEXT", "VARCHAR", "CHARACTER VARYING"):
                continue
            sql = f'SELECT "{column.name}" FROM "{table}" WHERE "{column.name}" IS NOT NULL'
            if any(crypto.is_sealed(row[0]) for row in db.execute_sql(sql)):
                found.add((table, column.name))
    assert found, "the demo seals nothing?"
    assert found <= listed, found - listed


def test_rotate_half_way_kill_resume_then_drop_the_old_key(api, people, ring):
    demo.load()
    token = api.login("counselor2@demo.econ", "demo-counselor2-pass")
    total = sum(sum(c.values()) for c in keys.inventory().values())
    assert total > 50 and _under("0") == total

    rotation = _econ("keys", "rotate", "--chunk", "1", "--pause", "0.2")
    deadline = time.monotonic() + 120
    while _under("2027a") < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    rotation.send_signal(signal.SIGKILL)
    rotation.wait(timeout=30)
    half = _under("2027a")
    assert 5 <= half < total and _under("0") == total - half  # killed half-way, nothing lost

    ring(RING)  # both keys: everything reads, half under each
    assert keys.verify() == (total, [])
    code, out = _finish(_econ("keys", "rotate", "--chunk", "7"))
    assert code == 0, out
    assert f"re-sealed {total - half} value(s); 0 left under other keys" in out
    code, out = _finish(_econ("keys", "status"))
    assert code == 0 and "older keys can leave the ring" in out, out

    ring(f"2027a:{NEW}")  # the old key is gone
    assert _under("2027a") == total
    assert keys.verify() == (total, [])
    maria = api.query(
        "{ participants(first: 20) { edges { node { preferredName legalName } } } }",
        None,
        token,  # issued before the rotation: the hashing key did not change
    )
    names = {e["node"]["preferredName"]: e["node"] for e in maria["participants"]["edges"]}
    assert names["Maria"]["legalName"] == "Maria Elena Popescu"
    code, out = _finish(_econ("audit", "verify", ring_entries=f"2027a:{NEW}"))
    assert code == 0 and "audit log intact" in out, out
    code, out = _finish(_econ("keys", "verify", ring_entries=f"2027a:{NEW}"))
    assert code == 0 and f"{total} value(s) read, 0 unreadable" in out, out
    assert get_settings().field_keys == (("2027a", NEW),)


def test_a_payment_file_chunk_is_rotated_a_few_rows_at_a_time(monkeypatch):
    asked: dict[str, int] = {}

    def record(column, chunk):
        asked[column.label] = chunk
        return iter(())

    monkeypatch.setattr(keys, "_rotate_column", record)
    keys.rotate(chunk=200)
    assert asked["payment_file_chunk.content"] == 8  # up to a mebibyte each
    assert asked["participant_pii.legal_name"] == 200  # small values: as asked
