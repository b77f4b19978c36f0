"""What changed line by line between two calculations a reviewer saw (issue 18).

The first look at a calculated run's approval panel writes a snapshot of its lines (who,
what kind, net, status) in one `INSERT … SELECT`; later looks at the same calculation
find it (one per run and generation: while a run is CALCULATED its lines change only
with a recalculation, which bumps the generation). Two snapshots are compared in the
database by their unique index (snapshot, kind, subject): counts in two grouped queries,
the changed lines a page at a time, so a 20,000-line run never reaches Python whole.
Snapshots never change once written, so a comparison's counts are kept per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

import peewee as pw

from econ.db import db, utcnow
from econ.money import from_cents
from econ.stipends.models import PaymentLine, PaymentRun, RunSnapshot, RunSnapshotLine, RunView
from econ.stipends.scope import lines_paid_by

ADDED, REMOVED, CHANGED = "ADDED", "REMOVED", "CHANGED"
_KEPT = 256  # counts and pages of comparisons kept per process


@dataclass(frozen=True)
class Changes:
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class LineChange:
    change: str  # ADDED, REMOVED or CHANGED
    kind: str
    participant_id: int
    before: Decimal | None  # net in the version she saw (None: the line was not there)
    after: Decimal | None
    status_before: str | None
    status_after: str | None


def take(run: PaymentRun, count: int, total: Decimal) -> RunSnapshot:
    """The snapshot of the run's current calculation, written by the first look at it.
    Inside a write transaction, with the run CALCULATED and its job DONE (final lines);
    two first looks at once write it once (the unique index, then the one found)."""
    mine = (RunSnapshot.run == run.id) & (RunSnapshot.generation == run.generation)
    found = RunSnapshot.get_or_none(mine)
    if found is not None:
        return found
    cursor = db.execute(
        RunSnapshot.insert(
            run=run.id, generation=run.generation, count=count, total=total, created_at=utcnow()
        ).on_conflict_ignore()
    )
    snapshot = RunSnapshot.get(mine)
    if cursor.rowcount:
        subject = pw.fn.COALESCE(PaymentLine.schedule, PaymentLine.loan_id)
        rows = PaymentLine.select(
            pw.Value(snapshot.id),
            PaymentLine.kind,
            subject,
            PaymentLine.participant,
            PaymentLine.net,
            PaymentLine.status,
        ).where(lines_paid_by(run))
        fields = [
            RunSnapshotLine.snapshot,
            RunSnapshotLine.kind,
            RunSnapshotLine.subject_id,
            RunSnapshotLine.participant_id,
            RunSnapshotLine.net,
            RunSnapshotLine.status,
        ]
        RunSnapshotLine.insert_from(rows, fields).execute()
    return snapshot


def prune(run_id: int) -> None:
    """Drop the run's snapshots no look points at any more (a reviewer keeps two)."""
    seen = RunView.select(RunView.snapshot_id).where(
        (RunView.run == run_id) & RunView.snapshot_id.is_null(False)
    )
    unseen = RunSnapshot.select(RunSnapshot.id).where(
        (RunSnapshot.run == run_id) & RunSnapshot.id.not_in(seen)
    )
    gone = [row.id for row in unseen]
    if gone:
        RunSnapshotLine.delete().where(RunSnapshotLine.snapshot.in_(gone)).execute()
        RunSnapshot.delete().where(RunSnapshot.id.in_(gone)).execute()


def _pair():
    before, after = RunSnapshotLine.alias("before"), RunSnapshotLine.alias("after")
    return before, after


def _same(one, other, other_id: int) -> pw.Expression:
    return (
        (other.snapshot == other_id)
        & (other.kind == one.kind)
        & (other.subject_id == one.subject_id)
    )


def _differs(before, after) -> pw.Expression:
    return (after.net != before.net) | (after.status != before.status)


_lock = threading.Lock()
_kept: OrderedDict[tuple, object] = OrderedDict()  # counts and pages of comparisons


def compare(before: RunSnapshot, after: RunSnapshot) -> Changes:
    """How many lines were added, removed and changed (net or status) from `before` to
    `after` (counted by the database; kept per process: snapshots do not change)."""
    if before.id == after.id:
        return Changes(0, 0, 0)
    key = ("counts", *_key(before, after))
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    old, new = _pair()
    gone = pw.Case(None, [(new.id.is_null(), 1)], 0)
    moved = pw.Case(None, [(new.id.is_null(False) & _differs(old, new), 1)], 0)
    removed, changed = (
        old.select(pw.fn.COALESCE(pw.fn.SUM(gone), 0), pw.fn.COALESCE(pw.fn.SUM(moved), 0))
        .join(new, pw.JOIN.LEFT_OUTER, on=_same(old, new, after.id))
        .where(old.snapshot == before.id)
        .tuples()
        .first()
    )
    added = (
        new.select()
        .join(old, pw.JOIN.LEFT_OUTER, on=_same(new, old, before.id))
        .where((new.snapshot == after.id) & old.id.is_null())
        .count()
    )
    found = Changes(int(added), int(removed), int(changed))
    _keep(key, found)
    return found


def _key(before: RunSnapshot, after: RunSnapshot) -> tuple:
    # ids alone could name other snapshots in another database (tests) or after a
    # snapshot was dropped and its id reused (SQLite): their creation times too
    return (id(db.obj), before.id, before.created_at, after.id, after.created_at)


def _keep(key: tuple, value) -> None:
    with _lock:
        _kept[key] = value
        while len(_kept) > _KEPT:
            _kept.popitem(last=False)


def change_page(
    before: RunSnapshot, after: RunSnapshot, offset: int, limit: int
) -> list[LineChange]:
    """The changed lines from `before` to `after`, `limit` from `offset`, in the order of
    the snapshots' index (kind, then schedule or loan: the order lines were made in), one
    UNION ALL of the lines removed or changed and the lines added. Kept per process like
    the counts: a reviewer who reloads the page reads no snapshot again."""
    if before.id == after.id or limit < 1:
        return []
    key = ("page", *_key(before, after), offset, limit)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    found = _read_page(before, after, offset, limit)
    _keep(key, found)
    return found


def _read_page(before: RunSnapshot, after: RunSnapshot, offset: int, limit: int) -> list:
    old, new = _pair()
    kept_or_gone = (
        old.select(
            old.participant_id, old.kind, old.subject_id,
            old.net, old.status, new.net, new.status,
        )
        .join(new, pw.JOIN.LEFT_OUTER, on=_same(old, new, after.id))
        .where((old.snapshot == before.id) & (new.id.is_null() | _differs(old, new)))
    )  # fmt: skip
    added = (
        new.select(
            new.participant_id, new.kind, new.subject_id,
            pw.Value(None), pw.Value(None), new.net, new.status,
        )
        .join(old, pw.JOIN.LEFT_OUTER, on=_same(new, old, before.id))
        .where((new.snapshot == after.id) & old.id.is_null())
    )  # fmt: skip
    both = (kept_or_gone + added).order_by(pw.SQL("2"), pw.SQL("3"))
    rows = both.limit(limit).offset(offset).tuples()
    return [_change(*row) for row in rows]


def _change(participant_id, kind, _subject, net_before, status_before, net_after, status_after):
    if net_before is None and status_before is None:
        change = ADDED
    elif net_after is None and status_after is None:
        change = REMOVED
    else:
        change = CHANGED
    return LineChange(
        change,
        kind,
        int(participant_id),
        _amount(net_before),
        _amount(net_after),
        status_before,
        status_after,
    )


def _amount(value) -> Decimal | None:
    """A net of the UNION: the field's Decimal, or cents where a driver gave the raw int."""
    if value is None or isinstance(value, Decimal):
        return value
    return from_cents(int(value))
