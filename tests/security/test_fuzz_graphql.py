"""Schemathesis against the GraphQL endpoint, as each role: no 5xx, no traceback, no
internal error, and a mutation that answers with errors writes nothing.

Schemathesis (with hypothesis-graphql) generates valid-by-construction operations from the
endpoint's introspection, with random arguments and selections. Requests go through the
session's ASGI client. Budget: 2 cases per operation and role, times ECON_FUZZ_SCALE.
"""

from __future__ import annotations

import datetime as dt
import time

import graphql
import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st

from econ.db import db
from econ.migrations import MIGRATION_TABLE
from econ.security.audit import verify_chain
from tests.security.fuzz_budget import examples, fuzz_settings
from tests.security.world import seed

ROLES = ("ADMIN", "COUNSELOR", "FINANCE", "EMPLOYER", "PARTICIPANT", "ANONYMOUS")
# Written on every call, accepted or not (the audit trail, login throttling, sessions).
BOOKKEEPING = {"audit_entry", "audit_head", "login_attempt", "session", MIGRATION_TABLE}
# Ending the fuzzing user's own session would only make the rest of the run anonymous.
SKIPPED = {"Mutation.logout"}


def _string(strategy):
    return strategy.map(lambda value: graphql.StringValueNode(value=value))


schemathesis.graphql.scalar(
    "Date", _string(st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)).map(str) | st.text())
)
schemathesis.graphql.scalar("DateTime", _string(st.datetimes().map(dt.datetime.isoformat)))
schemathesis.graphql.scalar("JSONString", _string(st.sampled_from(["{}", "[]", "{", "null"])))


def _row_counts() -> dict[str, int]:
    tables = [t for t in db.get_tables() if t not in BOOKKEEPING]
    return {t: db.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _check(body: dict, status: int, query: str, counts_before: dict | None) -> None:
    assert status in (200, 400, 413), (status, query)
    text = str(body)
    assert "Traceback" not in text and 'File "' not in text, query
    codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or ()}
    assert "INTERNAL" not in codes, (body, query)
    if counts_before is not None:
        payloads = [v for v in (body.get("data") or {}).values() if isinstance(v, dict)]
        # Refused: the payload's errors, or an error on the mutation field itself (an
        # error deeper down is about reading the result, after the write succeeded).
        failed_itself = any(len(e.get("path") or ()) <= 1 for e in body.get("errors") or ())
        refused = failed_itself or any(p.get("errors") for p in payloads)
        if refused:
            assert _row_counts() == counts_before, f"partial write: {query}"


def _fuzz(operation, http, headers: dict) -> int:
    """Send the operation's generated cases; returns how many were sent."""
    is_mutation = operation.label.startswith("Mutation.")
    sent = 0

    @fuzz_settings(2)
    @given(case=operation.as_strategy())
    def call(case):
        nonlocal sent
        before = _row_counts() if is_mutation else None
        response = http.post("/graphql", json={"query": case.body}, headers=headers)
        sent += 1
        _check(response.json(), response.status_code, case.body, before)

    call()
    return sent


@pytest.fixture
def settle(monkeypatch):
    """Wait for the background work a fuzzed mutation started before the next test
    empties the tables (bounded; a task still running then is left to finish)."""
    from econ import dispatch
    from econ.worker import app

    task_ids: list[str] = []
    original = dispatch._sender

    def recording(name, args):
        task_ids.append(original(name, args))
        return task_ids[-1]

    monkeypatch.setattr(dispatch, "_sender", recording)
    yield task_ids
    for task_id in task_ids:
        for _ in range(200):
            if app.AsyncResult(task_id).ready():
                break
            time.sleep(0.05)


@pytest.mark.parametrize("role", ROLES)
def test_fuzzed_operations_never_break_the_endpoint(api, http, settle, role):
    world = seed(api, with_run=False, with_statement=False)
    token = world.tokens[role]
    introspection = api.query(graphql.get_introspection_query(), None, world.tokens["ADMIN"])
    schema = schemathesis.graphql.from_dict(introspection)
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if op.label not in SKIPPED]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    sent = sum(_fuzz(operation, http, headers) for operation in operations)
    assert sent >= len(operations) * min(examples(2), 1)
    assert verify_chain().intact  # every path the fuzz took only appended to the audit log
    print(f"\nfuzz {role}: {len(operations)} operations, {sent} requests")
