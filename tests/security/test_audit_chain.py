"""The audit log is hash-chained: tampering directly in the database is detected; a
transaction can append its entries last."""

from __future__ import annotations

import pytest

from econ.db import db
from econ.security import audit
from econ.security.audit import verify_chain
from econ.security.models import AuditEntry


def _entries(people, n=5):
    _, actor = people.counselor()
    for i in range(n):
        audit.record(actor, "something", "Thing", i, fields=("a", "b"))
    return actor


def test_untouched_log_verifies(people):
    _entries(people)
    report = verify_chain()
    assert report.intact and report.entries == 6  # 5 + the user creation


def test_edited_entry_is_detected(people):
    _entries(people)
    target = AuditEntry.select().order_by(AuditEntry.id).offset(2).get()
    AuditEntry.update(fields="nothing to see").where(AuditEntry.id == target.id).execute()
    report = verify_chain()
    assert report.problems == [f"entry {target.id}: content was changed"]


def test_deleted_entry_is_detected(people):
    _entries(people)
    target = AuditEntry.select().order_by(AuditEntry.id).offset(3).get()
    AuditEntry.delete().where(AuditEntry.id == target.id).execute()
    report = verify_chain()
    assert not report.intact
    assert any("does not follow" in p for p in report.problems)


def test_truncated_tail_is_detected(people):
    _entries(people)
    newest = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    AuditEntry.delete().where(AuditEntry.id == newest.id).execute()
    assert verify_chain().problems == [
        "the newest entries were removed (the chain head does not match)"
    ]


def test_batched_reads_chain_too(people):
    actor = _entries(people, 1)
    audit.record_reads(actor, "Participant", [(1, ["legal_name"]), (2, ["phone", "email"])])
    rows = list(AuditEntry.select().order_by(AuditEntry.id))
    assert [r.prev_hash for r in rows[1:]] == [r.entry_hash for r in rows[:-1]]
    assert verify_chain().intact


def test_entries_written_in_an_appended_last_block_go_in_at_its_end_in_order(people):
    _, actor = people.counselor()
    before = AuditEntry.select().count()
    with db.atomic(), audit.appended_last():
        audit.record(actor, "first", "Thing", 1)
        with audit.appended_last():  # an inner block leaves it to the outer one
            audit.record_reads(actor, "Participant", [(7, ["bank_account"])])
        assert AuditEntry.select().count() == before  # the head not touched yet
        audit.record(actor, "last", "Thing", 2)
    added = AuditEntry.select().order_by(AuditEntry.id).offset(before)
    assert [e.action for e in added] == ["first", "read_restricted", "last"]
    assert verify_chain().intact


def test_an_appended_last_block_that_raises_appends_nothing(people):
    _, actor = people.counselor()
    before = AuditEntry.select().count()
    with pytest.raises(RuntimeError), audit.appended_last():
        audit.record(actor, "never", "Thing", 1)
        raise RuntimeError("the transaction rolls back")
    audit.record(actor, "after", "Thing", 2)  # and the next writer appends at once
    added = AuditEntry.select().order_by(AuditEntry.id).offset(before)
    assert [e.action for e in added] == ["after"]
