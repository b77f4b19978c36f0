"""The audit trail: one function to write an entry, one to read them back.

Entries never contain values: only the actor, the action, the record and field names.
Nothing in the code base updates or deletes an entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from econ.security.models import AuditEntry
from econ.security.roles import Actor


def record(
    actor: Actor | None,
    action: str,
    record_type: str = "",
    record_id: object = "",
    *,
    participant_id: int | None = None,
    fields: Sequence[str] = (),
    outcome: str = "ok",
) -> None:
    AuditEntry.create(
        **_row(actor, action, record_type, record_id, participant_id, fields, outcome)
    )


def record_reads(
    actor: Actor, record_type: str, reads: Iterable[tuple[int, Sequence[str]]]
) -> None:
    """Audit many restricted reads at once: one entry per record with the field names."""
    rows = [
        _row(actor, "read_restricted", record_type, pid, pid, sorted(fields), "ok")
        for pid, fields in reads
        if fields
    ]
    if rows:
        AuditEntry.insert_many(rows).execute()


def _row(
    actor: Actor | None,
    action: str,
    record_type: str,
    record_id: object,
    participant_id: int | None,
    fields: Sequence[str],
    outcome: str,
) -> dict:
    return {
        "actor_id": actor.user_id if actor else None,
        "actor_role": actor.role.value if actor else "ANONYMOUS",
        "action": action[:80],
        "record_type": record_type[:40],
        "record_id": str(record_id)[:40],
        "participant_id": participant_id,
        "fields": ",".join(fields)[:400],
        "outcome": outcome[:20],
    }
