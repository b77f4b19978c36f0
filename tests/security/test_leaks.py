"""Canary values never leak: not to other roles, nor to logs, task messages, files or disk.

The canary participant (tests/security/world.py) carries unmistakable restricted values.
The schema audit already searches every response of its six roles for them; here a
counselor of another caseload walks the schema too, and the background work, logs,
generated files and the database itself are searched.
"""

from __future__ import annotations

import logging
import subprocess
import time
from pathlib import Path

from econ import dispatch
from econ.config import get_settings
from econ.db import db, is_postgres
from econ.settings.models import ProgramSetting
from tests.conftest import wait_for_background_tasks
from tests.security.test_schema_audit import audit
from tests.security.world import (
    ALL_NEEDLES,
    CANARY_NEEDLES,
    found,
    needles_hidden_from,
    seed,
    this_month,
)
from tests.statements.pdftext import text as pdf_text
from tests.support.files import live_file_bytes

# Payment files go to the bank: the payee's legal name and account belong there.
BANK_FILE_FIELDS = {"legal_name", "bank_account"}


def test_a_counselor_of_another_caseload_sees_none_of_her_values(api):
    world = seed(api)
    leaks: list[str] = []
    _, seen = audit(api, world, roles=("OTHER_COUNSELOR",), leaks=leaks)
    assert leaks == []
    assert ("Participant", "legalName") in seen["OTHER_COUNSELOR"].data  # her own caseload


def _background_story(api, world) -> None:
    """Work that runs on the worker: a statement on request and next month's run."""
    counselor, finance = world.tokens["COUNSELOR"], world.tokens["FINANCE"]
    api.ok(
        "generateStatement",
        {"participantId": world.canary_id, "period": this_month(0)},
        "statement { id }",
        counselor,
    )
    # An advance run for next month (this month's is the world's): allowed by the setting.
    ProgramSetting.insert(key="payment_run_advance_months", value="1").on_conflict(
        conflict_target=[ProgramSetting.key], update={ProgramSetting.value: "1"}
    ).execute()  # an upsert both SQLite and PostgreSQL speak
    api.ok("createPaymentRun", {"period": this_month(1)}, "run { id }", finance)
    for _ in range(400):  # bounded wait for the worker (not a timing assertion)
        runs = api.query("{ paymentRuns(first: 5) { edges { node { state } } } }", None, finance)
        states = {e["node"]["state"] for e in runs["paymentRuns"]["edges"]}
        if "CALCULATING" not in states and "DRAFT" not in states:
            return
        time.sleep(0.05)


def test_logs_task_messages_files_and_the_database_hold_no_plaintext(api, caplog, monkeypatch):
    sent: list[str] = []
    original = dispatch._sender

    def recording(name, args):
        sent.append(f"{name}{args!r}")
        return original(name, args)

    monkeypatch.setattr(dispatch, "_sender", recording)
    with caplog.at_level(logging.DEBUG):
        world = seed(api)
        _background_story(api, world)
        for token in world.tokens.values():  # reads of every kind, logged at DEBUG
            api.post(
                "query Q($id: ID!) { participant(id: $id) { legalName phone address "
                "bankAccount safetyNotes email } }",
                {"id": world.canary_id},
                token,
            )
    assert sent, "the story enqueued background work"
    assert found("\n".join(sent), ALL_NEEDLES) == []
    assert found(caplog.text, ALL_NEEDLES) == [], [
        r.name + ": " + r.getMessage()[:300]
        for r in caplog.records
        if found(r.getMessage(), ALL_NEEDLES)
    ][:3]
    wait_for_background_tasks()  # a statement half-written by the worker is not a file yet
    assert _files_with_canaries() == []
    assert found(_database_bytes(), ALL_NEEDLES) == []


def _files_with_canaries() -> list[str]:
    """Every file under the data directory; PDFs are read as a person would read them."""
    problems = []
    bank_only = [n for k, ns in CANARY_NEEDLES.items() if k not in BANK_FILE_FIELDS for n in ns]
    for path in Path(get_settings().data_dir).rglob("*"):
        if not path.is_file() or path.name.startswith("econ.db"):
            continue
        raw = path.read_bytes()
        content = pdf_text(raw) if raw.startswith(b"%PDF") else raw.decode("latin-1")
        payment_file = path.suffix in (".xml", ".csv") and "run-" in path.name
        hits = found(content, bank_only if payment_file else ALL_NEEDLES)
        problems += [f"{path.name}: {hit}" for hit in hits]
    return problems


def _database_bytes() -> str:
    """The database as a thief with the disk would see it."""
    if is_postgres():
        url = db.obj.connect_params
        dump = subprocess.run(
            ["pg_dump", "--data-only", "-h", url.get("host", "127.0.0.1"), "-p",
             str(url.get("port", 5432)), "-U", url.get("user", "postgres"), db.obj.database],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        return dump.stdout.decode("utf-8", "replace")
    path = Path(db.obj.database)
    parts = [path, path.with_name(path.name + "-wal")]
    return live_file_bytes(parts).decode("latin-1")  # never our own descriptors


def test_the_hidden_needles_cover_every_restricted_field():
    # ADMIN may read none of the five restricted values (docs/foundation.md): every needle.
    assert needles_hidden_from("ADMIN") == ALL_NEEDLES
