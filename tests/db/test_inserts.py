"""econ.inserts.insert_rows: the rows it stores are the rows peewee's insert_many stores
for the same input (defaults, foreign keys, None, money), in as many statements as the
parameters need; what it cannot build the same way goes through insert_many."""

from __future__ import annotations

import datetime as dt

import peewee as pw
import pytest

from econ import inserts
from econ.db import db
from econ.inserts import insert_rows
from econ.ledger.models import JournalEntry, JournalLine
from econ.ledger.services import ensure_account
from econ.security.models import AuditEntry

AT = dt.datetime(2026, 3, 4, 5, 6, 7)


def _entries(prefix: str, n: int) -> list[dict]:
    return [
        {"key": f"{prefix}:{i}", "memo": f"memo {i}" if i % 2 else "", "created_by": i or None}
        for i in range(n)
    ]


def _stored(model: type[pw.Model], where, skip: tuple[str, ...] = ()) -> list[tuple]:
    columns = [f for f in model._meta.sorted_fields if f.name not in ("id", *skip)]
    return list(model.select(*columns).where(where).order_by(model.id).tuples())


def test_the_rows_stored_are_insert_manys_rows():
    insert_rows(JournalEntry, _entries("ours", 7))
    JournalEntry.insert_many(_entries("theirs", 7)).execute()
    ours = _stored(JournalEntry, JournalEntry.key.startswith("ours"), skip=("at",))
    theirs = _stored(JournalEntry, JournalEntry.key.startswith("theirs"), skip=("at",))
    assert [r[1:] for r in ours] == [r[1:] for r in theirs] and len(ours) == 7
    # the callable default (the time) is called for each row, as peewee does
    assert JournalEntry.select().where(JournalEntry.at.is_null()).count() == 0

    account = ensure_account("bank").id
    entry_ids = [e.id for e in JournalEntry.select().order_by(JournalEntry.id)]
    lines = [
        {"entry": entry_id, "account": account, "amount_cents": c, "participant_id": p}
        for entry_id, c, p in zip(
            entry_ids, [5, -5, 10**15, -(10**15), 1, -1, 0], [1, None] * 4, strict=False
        )
    ]
    insert_rows(JournalLine, lines[:7])
    JournalLine.insert_many(lines[:7]).execute()
    stored = _stored(JournalLine, JournalLine.id > 0)
    assert stored[:7] == stored[7:] and len(stored) == 14


def test_explicit_values_for_defaulted_fields_and_text_that_looks_like_sql():
    hostile = "x'); DROP TABLE audit_entry; --"
    row = {
        "at": AT,
        "actor_id": None,
        "actor_role": "ADMIN",
        "action": hostile,
        "prev_hash": "p",
        "entry_hash": "e",
    }
    insert_rows(AuditEntry, [row, row | {"entry_hash": "f"}])
    AuditEntry.insert_many([row | {"entry_hash": "g"}]).execute()
    stored = _stored(AuditEntry, AuditEntry.action == hostile)
    assert len(stored) == 3
    assert {r[:-1] for r in stored} == {stored[0][:-1]}  # all alike but the entry hash


def test_a_batch_past_the_parameter_limit_is_cut_into_several_statements(monkeypatch):
    monkeypatch.setattr(inserts, "MAX_PARAMETERS", 12)  # 2 rows of 6 columns a statement
    statements = []
    real = db.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        if sql.startswith("INSERT"):
            statements.append(len(params))
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.obj, "execute_sql", counting)
    insert_rows(JournalEntry, _entries("many", 5))
    assert statements == [12, 12, 6]
    assert JournalEntry.select().where(JournalEntry.key.startswith("many")).count() == 5


@pytest.mark.parametrize(
    "rows",
    [
        [{"key": "expr:1", "memo": pw.fn.UPPER("shout")}],  # an expression: peewee renders it
        [{"key": "keys:1"}, {"key": "keys:2", "memo": "a second shape"}],
    ],
)
def test_rows_peewee_reads_otherwise_go_through_insert_many(rows):
    insert_rows(JournalEntry, rows)
    stored = {e.key: e.memo for e in JournalEntry.select()}
    if rows[0]["key"] == "expr:1":
        assert stored == {"expr:1": "SHOUT"}
    else:
        assert stored == {"keys:1": "", "keys:2": "a second shape"}


def test_a_key_that_is_no_field_is_peewees_error():
    with pytest.raises(AttributeError):
        insert_rows(JournalEntry, [{"key": "k", "no_such_field": 1}])
