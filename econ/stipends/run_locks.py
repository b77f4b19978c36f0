"""A payment run's lock, taken shared by its calculation's chunks and exclusively by
everything that changes the run (issue 21, item 4).

On PostgreSQL it is a transaction-scoped advisory lock on (RUN_LOCK, run id): any number
of chunk transactions hold it shared at once, so chunks of one run write side by side on
as many workers as there are; a recalculation, a cancel, the chunk planner and the last
chunk's finish take it exclusively, so they wait for every chunk in flight, and a chunk
that starts after them sees the run as they left it (a new generation: it writes
nothing). The exclusive holder then also locks the run's row (`FOR UPDATE`), always in
that order (advisory first), so the two locks can never wait on each other in a cycle.

On SQLite every write transaction already holds the database's single write lock
(`BEGIN IMMEDIATE`), so both are that lock and chunks run one after another.
"""

from __future__ import annotations

from econ.db import db, for_update, is_postgres
from econ.stipends.models import PaymentRun

RUN_LOCK = 0x65636F6E  # "econ": the advisory lock space of payment runs (int4, classid)


def shared(run_id: int) -> None:
    """Inside a transaction: hold the run's lock shared until it ends."""
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock_shared(%s, %s)", (RUN_LOCK, run_id))


def exclusive(run_id: int) -> PaymentRun | None:
    """Inside a transaction: hold the run's lock exclusively (after every chunk in
    flight has committed) and its row for update; the run as it is now, or None."""
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (RUN_LOCK, run_id))
    return for_update(PaymentRun.select().where(PaymentRun.id == run_id)).first()
