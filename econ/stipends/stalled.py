"""Calculations whose messages were lost, sent again by a periodic sweep.

A run's calculation is a planner message and then one message per chunk (chunks.py). A
broker restarted without persistence, or `make run` stopped while its in-process worker
was calculating, loses those messages and leaves the run in CALCULATING with nobody
working on it. Sending `calculate_payment_run` again is safe by construction: planning
happens once per generation and re-sends only the chunks still PENDING, a chunk already
DONE writes nothing, and a duplicate of a chunk in flight waits on its row and then does
nothing. So the sweep needs no certainty that the run is stuck, only a sign that nothing
has moved for a while: neither a run event nor a chunk finished for `STALL_AFTER`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from econ.db import utcnow
from econ.stipends import jobs
from econ.stipends.models import PaymentRun, PaymentRunChunk, RunEvent

# Far above one chunk's cost (about 0.2 s for 500 schedules), so a run that is moving
# always shows a chunk finished well within it.
STALL_AFTER = dt.timedelta(minutes=10)


def _last_sign(run: PaymentRun) -> dt.datetime | None:
    """When the run last showed life: its latest event (the move into CALCULATING) or
    the latest chunk of its current generation to finish."""
    event = (
        RunEvent.select(RunEvent.at)
        .where(RunEvent.run == run.id)
        .order_by(RunEvent.at.desc())
        .first()
    )
    chunk = (
        PaymentRunChunk.select(PaymentRunChunk.done_at)
        .where(
            (PaymentRunChunk.run == run.id)
            & (PaymentRunChunk.generation == run.generation)
            & PaymentRunChunk.done_at.is_null(False)
        )
        .order_by(PaymentRunChunk.done_at.desc())
        .first()
    )
    signs = [t for t in (event and event.at, chunk and chunk.done_at) if t is not None]
    return max(signs) if signs else None


def stalled_calculations(now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """(run id, generation) of each run in CALCULATING that has shown no life for
    STALL_AFTER. Few runs calculate at once, so one small query per run is fine."""
    now = now or utcnow()
    calculating = PaymentRun.select(PaymentRun.id, PaymentRun.generation).where(
        PaymentRun.state == "CALCULATING"
    )
    stalled = []
    for run in calculating:
        last = _last_sign(run)
        if last is None or now - last >= STALL_AFTER:
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
