"""The audit trail: append-only and hash-chained.

Entries never contain values: only the actor, the action, the record and field names.
Nothing in the code base updates or deletes an entry. Each entry carries
HMAC(previous hash + its own content) under a key derived from the secret key, and the
chain head lives in one row (`AuditHead`) that every writer updates first: that update
takes the write lock (SQLite) or a row lock (PostgreSQL), so concurrent writers append in
turn and the chain never forks. `verify_chain` finds any edited, inserted or deleted entry.

That lock lasts until the writer's transaction ends, so a long transaction that audits
early (an export chunk reads her payee details first) would hold every other writer of
the trail, and so every other chunk of the run, until it commits. `appended_last` keeps
such a transaction's entries and appends them at the end of the block: the head is then
locked only for the append and the commit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import peewee as pw

from econ.db import db, for_update, utcnow
from econ.inserts import insert_rows
from econ.security.crypto import keyed_hash
from econ.security.models import AuditEntry, AuditHead
from econ.security.roles import Actor

GENESIS = "0" * 64
_CONTENT = (
    "at",
    "actor_id",
    "actor_role",
    "action",
    "record_type",
    "record_id",
    "participant_id",
    "fields",
    "outcome",
)
_kept = threading.local()  # .rows: the entries an `appended_last` block holds back


def record(
    actor: Actor | None,
    action: str,
    record_type: str = "",
    record_id: object = "",
    *,
    participant_id: int | None = None,
    fields: Sequence[str] = (),
    outcome: str = "ok",
    detail: str = "",
) -> None:
    """`detail`: for privilege entries, what was granted ("role=FINANCE approved_by=3")."""
    _append([_row(actor, action, record_type, record_id, participant_id, fields, outcome, detail)])


def record_each(
    actor: Actor | None,
    action: str,
    record_type: str,
    records: Iterable[tuple[object, int | None]],
    fields: Sequence[str] = (),
) -> None:
    """One entry per (record id, participant id), appended together: one lock on the chain's
    head for a whole page of reads instead of one per record."""
    _append(
        [
            _row(actor, action, record_type, record_id, participant_id, fields, "ok")
            for record_id, participant_id in records
        ]
    )


def record_reads(
    actor: Actor, record_type: str, reads: Iterable[tuple[int, Sequence[str]]]
) -> None:
    """Audit many restricted reads at once: one entry per record with the field names."""
    _append(
        [
            _row(actor, "read_restricted", record_type, pid, pid, sorted(fields), "ok")
            for pid, fields in reads
            if fields
        ]
    )


class ReadLog:
    """The restricted and identifying reads of one request, written as one batch when the
    request ends (`flush`): one entry per participant and record type with the union of
    the fields read, however many lines or fields the request resolved. Each entry names
    her, so it shows in her "who read my data"."""

    def __init__(self, actor: Actor | None):
        self.actor = actor
        self._reads: dict[tuple[str, int], set[str]] = {}

    def add(self, record_type: str, participant_id: int, fields: Iterable[str]) -> None:
        self._reads.setdefault((record_type, participant_id), set()).update(fields)

    def flush(self) -> None:
        if self.actor is None or not self._reads:
            return
        rows = [
            _row(self.actor, "read_restricted", rtype, pid, pid, sorted(fields), "ok")
            for (rtype, pid), fields in sorted(self._reads.items())
            if fields
        ]
        self._reads.clear()
        _append(rows)


def record_read(
    actor: Actor | None,
    record_type: str,
    participant_id: int,
    fields: Sequence[str],
    reads: ReadLog | None = None,
) -> None:
    """One read: into the request's batch when there is one, at once otherwise (the CLI)."""
    if reads is not None:
        reads.add(record_type, participant_id, fields)
    elif actor is not None:
        record_reads(actor, record_type, [(participant_id, fields)])


def _row(actor, action, record_type, record_id, participant_id, fields, outcome, detail="") -> dict:
    return {
        "at": utcnow().replace(microsecond=0),
        "actor_id": actor.user_id if actor else None,
        "actor_role": actor.role.value if actor else "ANONYMOUS",
        "action": action[:80],
        "record_type": record_type[:40],
        "record_id": str(record_id)[:40],
        "participant_id": participant_id,
        "fields": ",".join(fields)[:400],
        "outcome": outcome[:20],
        "detail": detail[:200],
    }


def _digest(prev_hash: str, row: dict) -> str:
    values = [str(row[k]) if row[k] is not None else None for k in _CONTENT]
    if row.get("detail"):  # added later: entries without one keep their original digest
        values.append(row["detail"])
    content = json.dumps(values)
    key = keyed_hash("audit-chain").encode()
    return hmac.new(key, (prev_hash + content).encode(), hashlib.sha256).hexdigest()


@contextmanager
def appended_last() -> Iterator[None]:
    """Inside a transaction: the entries written in the block are appended when it ends
    (in the order written; nothing if it raises: the transaction rolls back anyway). A
    block inside another one leaves the appending to the outer one."""
    if getattr(_kept, "rows", None) is not None:
        yield
        return
    _kept.rows = []
    try:
        yield
        rows = _kept.rows
    finally:
        _kept.rows = None
    _append(rows)


def _append(rows: list[dict]) -> None:
    if not rows:
        return
    held = getattr(_kept, "rows", None)
    if held is not None:
        held.extend(rows)
        return
    with db.atomic():
        # Take the lock first (a write on SQLite, FOR UPDATE on PostgreSQL), then read.
        touched = AuditHead.update(count=AuditHead.count).where(AuditHead.id == 1).execute()
        if not touched:
            AuditHead.insert(id=1, last_hash=GENESIS, count=0).on_conflict_ignore().execute()
        head = for_update(AuditHead.select().where(AuditHead.id == 1)).get()
        last = head.last_hash
        for row in rows:
            row["prev_hash"] = last
            row["entry_hash"] = last = _digest(last, row)
        insert_rows(AuditEntry, rows)
        AuditHead.update(last_hash=last, count=AuditHead.count + len(rows)).where(
            AuditHead.id == 1
        ).execute()


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the log in order and recompute every link; report what does not match."""
    problems: list[str] = []
    previous, count, last_id = GENESIS, 0, 0
    while True:
        page = list(
            AuditEntry.select()
            .where(AuditEntry.id > last_id)
            .order_by(AuditEntry.id)
            .limit(batch)
            .dicts()
        )
        if not page:
            break
        for row in page:
            count += 1
            if row["prev_hash"] != previous:
                problems.append(
                    f"entry {row['id']}: does not follow the previous entry "
                    "(an entry was deleted or inserted before it)"
                )
            if (
                _digest(row["prev_hash"], {**row, "at": row["at"].replace(microsecond=0)})
                != row["entry_hash"]
            ):
                problems.append(f"entry {row['id']}: content was changed")
            previous = row["entry_hash"]
        last_id = page[-1]["id"]
    head = AuditHead.get_or_none(AuditHead.id == 1)
    if head is not None and (head.last_hash != previous or head.count != count):
        problems.append("the newest entries were removed (the chain head does not match)")
    return ChainReport(count, problems)


def entries_about(participant_id: int, actions: Sequence[str]) -> pw.ModelSelect:
    """Her access log: the entries naming her with one of `actions`, newest first (the
    caller chooses which actions she sees and checks who may see them)."""
    return (
        AuditEntry.select()
        .where((AuditEntry.participant_id == participant_id) & (AuditEntry.action.in_(actions)))
        .order_by(AuditEntry.id.desc())
    )
