"""Calculations and exports whose messages were lost, sent again by a periodic sweep.

A run's calculation is a planner message and then one message per chunk (chunks.py). A
broker restarted without persistence, or `make run` stopped while its in-process worker
was calculating, loses those messages and leaves the run in CALCULATING with nobody
working on it. Sending `calculate_payment_run` again is safe by construction: planning
happens once per generation and re-sends only the chunks still PENDING, a chunk already
DONE writes nothing, and a duplicate of a chunk in flight waits on its row and then does
nothing. So the sweep needs no certainty that the run is stuck, only a sign that nothing
has moved for a while: neither a run event nor a chunk finished for `STALL_AFTER`.

A run's export in chunks (export_chunks.py) is swept the same way: a job QUEUED or
RUNNING with neither an event nor a chunk of its round finished for `STALL_AFTER` is
sent `disburse_payment_run` again. Its planner joins the job's round and sends only the
chunks still PENDING, or writes the files when every chunk is done; while the last
chunk's task writes them it holds the run's lock exclusively, so a planner sent then
waits for it and finds the job DONE. Only the chunked export shows life as it goes: the
single task (SQLite, the in-process worker) works for minutes in one transaction per
method, so it is not swept (`tasks.resume_stalled_exports` says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import peewee as pw

from econ.db import utcnow
from econ.stipends import jobs, lifecycle
from econ.stipends.models import PaymentExportChunk, PaymentRun, PaymentRunChunk, RunEvent

# Far above one chunk's cost (about 0.2 s for 500 schedules), so a run that is moving
# always shows a chunk finished well within it.
STALL_AFTER = dt.timedelta(minutes=10)


def _last_sign(run_id: int, chunk_model: type[pw.Model], mine: pw.Expression) -> dt.datetime | None:
    """When the run last showed life: its latest event (the move into CALCULATING or
    DISBURSING, a restart) or the latest of its chunks `mine` to finish."""
    event = RunEvent.select(pw.fn.MAX(RunEvent.at)).where(RunEvent.run == run_id).scalar()
    chunk = chunk_model.select(pw.fn.MAX(chunk_model.done_at)).where(mine).scalar()
    signs = [_when(t) for t in (event, chunk) if t is not None]
    return max(signs) if signs else None


def _when(value: dt.datetime | str) -> dt.datetime:
    """An aggregate's time as a datetime (SQLite gives MAX() of a column as its text)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _quiet(last: dt.datetime | None, now: dt.datetime) -> bool:
    return last is None or now - last >= STALL_AFTER


def stalled_calculations(now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """(run id, generation) of each run in CALCULATING that has shown no life for
    STALL_AFTER. Few runs calculate at once, so one small query per run is fine."""
    now = now or utcnow()
    calculating = PaymentRun.select(PaymentRun.id, PaymentRun.generation).where(
        PaymentRun.state == "CALCULATING"
    )
    stalled = []
    for run in calculating:
        mine = (PaymentRunChunk.run == run.id) & (PaymentRunChunk.generation == run.generation)
        if _quiet(_last_sign(run.id, PaymentRunChunk, mine), now):
            stalled.append((run.id, run.generation))
    return stalled


def resume_stalled(
    now: dt.datetime | None = None,
    send: Callable[[int, int], object] = lambda run_id, gen: jobs.enqueue("CALCULATE", run_id, gen),
) -> list[int]:
    """Send each stalled calculation again; returns the runs sent."""
    stalled = stalled_calculations(now)
    for run_id, generation in stalled:
        send(run_id, generation)
    return [run_id for run_id, _ in stalled]


def stalled_exports(now: dt.datetime | None = None) -> list[int]:
    """The runs whose export job (QUEUED or RUNNING) has shown no life for STALL_AFTER:
    no event, no chunk of the job's round finished."""
    now = now or utcnow()
    exporting = PaymentRun.select(PaymentRun.id, PaymentRun.job_task_id).where(
        (PaymentRun.job_kind == "DISBURSE")
        & PaymentRun.job_status.in_(("QUEUED", "RUNNING"))
        & PaymentRun.state.in_(lifecycle.DISBURSABLE)
    )
    stalled = []
    for run in exporting:
        mine = (PaymentExportChunk.run == run.id) & (PaymentExportChunk.round == run.job_task_id)
        if _quiet(_last_sign(run.id, PaymentExportChunk, mine), now):
            stalled.append(run.id)
    return stalled


def resume_stalled_exports(
    now: dt.datetime | None = None,
    send: Callable[[int], object] = lambda run_id: jobs.enqueue("DISBURSE", run_id, 0),
) -> list[int]:
    """Send each stalled export again; returns the runs sent."""
    stalled = stalled_exports(now)
    for run_id in stalled:
        send(run_id)
    return stalled
