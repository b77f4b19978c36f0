"""The audit log is append-only: no code path changes or deletes an entry, and the CLI
`econ audit verify` finds any entry edited or deleted directly in the database.
The schema audit and the GraphQL fuzz also verify the chain after their thousands of
calls (every API path only appended)."""

from __future__ import annotations

import ast
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITES = {"update", "delete", "delete_instance", "save", "replace", "insert_many", "create"}
# The one module that appends (insert_many) and moves the chain head (AuditHead.update).
APPENDER = ROOT / "econ" / "security" / "audit.py"
_AUDIT_DML = re.compile(
    r'\b(update\s+"?audit_|delete\s+from\s+"?audit_|truncate\s+(table\s+)?"?audit_)', re.I
)


def _writes_to_audit_tables(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and node.attr in WRITES:
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if name in ("AuditEntry", "AuditHead"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.{node.attr}")
        # DML on an audit table; a migration's DDL (CREATE TABLE audit_entry … ON DELETE)
        # writes no row and is allowed.
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and _AUDIT_DML.search(node.value):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} raw SQL on audit tables")
    return found


def test_no_code_outside_the_appender_writes_audit_rows():
    offenders = []
    for path in sorted((ROOT / "econ").rglob("*.py")):
        if path != APPENDER:
            offenders += _writes_to_audit_tables(path)
    assert offenders == []
    # The appender itself only inserts entries and updates the head row.
    own = _writes_to_audit_tables(APPENDER)
    assert all(("AuditEntry.insert_many" in o) or ("AuditHead." in o) for o in own), own


def _econ(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ECON_DATA_DIR": str(data_dir), "ECON_DATABASE_URL": ""}
    env.pop("ECON_SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "econ.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_cli_verify_detects_direct_edits_and_deletions(tmp_path):
    assert _econ(tmp_path, "demo").returncode == 0
    intact = _econ(tmp_path, "audit", "verify")
    assert intact.returncode == 0 and "audit log intact" in intact.stdout
    with sqlite3.connect(tmp_path / "econ.db") as raw:  # the thief's or insider's view
        raw.execute("UPDATE audit_entry SET actor_role = 'FORGED' WHERE id = 7")
    edited = _econ(tmp_path, "audit", "verify")
    assert edited.returncode == 1
    assert "entry 7: content was changed" in edited.stdout
    with sqlite3.connect(tmp_path / "econ.db") as raw:
        raw.execute("DELETE FROM audit_entry WHERE id = 12")
    deleted = _econ(tmp_path, "audit", "verify")
    assert deleted.returncode == 1 and "does not follow" in deleted.stdout
