"""The audit log is hash-chained: tampering directly in the database is detected."""

from __future__ import annotations

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
