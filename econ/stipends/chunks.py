"""A run's calculation as chunk tasks that any number of workers take (issue 21, item 4).

1. `plan` (once per generation, under the run's exclusive lock): the eligible schedules
   in id order cut into ranges of `size`, one `PaymentRunChunk` row each; a second
   planner of the same generation finds the rows and plans nothing.
2. `run_chunk` (any worker, any order, at the same time as others): under the run's
   lock held SHARED, if the run is still CALCULATING at this generation, the chunk's row
   is claimed (PENDING → DONE, a conditional update: a duplicate delivery waits on that
   row and then finds it DONE) and its lines, claims, notes, totals and the run's
   progress are written in the same transaction. A worker killed mid-chunk leaves
   nothing; the redelivered message does the chunk again. The unique (schedule, period)
   key on lines refuses a second line whatever happens.
3. `finish` (after each chunk commits): when no chunk of the generation is left PENDING
   (counted in the database), under the exclusive lock, the loan lines, a check that
   the lines equal the chunks' totals, the review notes, and CALCULATED. Two chunks
   finishing together both try; the lock and the state check let one succeed.

A recalculation takes the exclusive lock to bump the generation, so it waits for the
chunks in flight, and chunks of the old generation that come later do nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from econ.db import utcnow, write_transaction
from econ.grouping import batched
from econ.money import ZERO, from_cents
from econ.stipends import lifecycle, run_locks
from econ.stipends.lines import ChunkOutcome, calculate_chunk
from econ.stipends.loan_lines import loan_rows
from econ.stipends.models import PaymentLine, PaymentRun, PaymentRunChunk, StipendSchedule

PENDING, DONE = "PENDING", "DONE"
# What `run_chunk` and `finish` answer besides "done" and "stale".
ALREADY, WAITING = "already", "waiting"


def claim(model: type[pw.Model], mine: pw.Expression) -> pw.Model | None:
    """The chunk row `mine` when this call turned it PENDING -> DONE, else None. The
    conditional update is the claim: a duplicate delivery waits on the row, then finds it
    DONE and writes nothing (calculation chunks here, export chunks in export_chunks)."""
    claimed = model.update(state=DONE).where(mine & (model.state == PENDING)).execute()
    return model.get(mine) if claimed else None


def eligible_schedules(period: str) -> pw.ModelSelect:
    return StipendSchedule.select(StipendSchedule.id).where(
        StipendSchedule.state.in_(("APPROVED", "ACTIVE")) & (StipendSchedule.start_month <= period)
    )


def current(run: PaymentRun | None, generation: int) -> bool:
    return run is not None and run.state == "CALCULATING" and run.generation == generation


def _of(run_id: int, generation: int) -> pw.Expression:
    return (PaymentRunChunk.run == run_id) & (PaymentRunChunk.generation == generation)


def plan(run_id: int, generation: int, size: int, task_id: str | None = None) -> list[int] | None:
    """The numbers of the generation's chunks not done yet (planned now if there are
    none); None when the run is no longer at this generation."""
    with write_transaction():
        run = run_locks.exclusive(run_id)
        if not current(run, generation):
            return None
        if not PaymentRunChunk.select().where(_of(run_id, generation)).exists():
            bounds, total = _ranges(run.period, size)
            rows = [
                {"run": run_id, "generation": generation, "number": n, "after_id": a, "last_id": b}
                for n, (a, b) in enumerate(bounds, 1)
            ]
            for batch in batched(rows, 1000):  # under SQLite's 32,766 parameters a statement
                PaymentRunChunk.insert_many(batch).execute()
            PaymentRun.update(
                job_status="RUNNING", job_task_id=task_id, job_total=total, job_done=0
            ).where((PaymentRun.id == run_id) & (PaymentRun.generation == generation)).execute()
        return [
            n
            for (n,) in PaymentRunChunk.select(PaymentRunChunk.number)
            .where(_of(run_id, generation) & (PaymentRunChunk.state == PENDING))
            .order_by(PaymentRunChunk.number)
            .tuples()
        ]


def _ranges(period: str, size: int) -> tuple[list[tuple[int, int | None]], int]:
    """[(after id, last id)] covering every schedule id once (the last range is open, so
    a schedule approved meanwhile is not missed), and how many are eligible now."""
    ids = [i for (i,) in eligible_schedules(period).order_by(StipendSchedule.id).tuples()]
    cuts = ids[size - 1 : -1 : size]  # the last id of every full chunk but the final one
    afters = [0, *cuts]
    return list(zip(afters, [*cuts, None], strict=True)), len(ids)


def run_chunk(run_id: int, generation: int, number: int) -> str:
    """Write chunk `number`'s lines: "done", ALREADY (done before: nothing written) or
    "stale" (the run moved on). An error rolls the whole chunk back and propagates."""
    with write_transaction():
        run_locks.shared(run_id)
        run = PaymentRun.get_or_none(PaymentRun.id == run_id)
        if not current(run, generation):
            return "stale"
        chunk = claim(PaymentRunChunk, _of(run_id, generation) & (PaymentRunChunk.number == number))
        if chunk is None:
            return ALREADY
        query = eligible_schedules(run.period).where(StipendSchedule.id > chunk.after_id)
        if chunk.last_id is not None:
            query = query.where(StipendSchedule.id <= chunk.last_id)
        ids = [i for (i,) in query.order_by(StipendSchedule.id).tuples()]
        outcome = calculate_chunk(run, ids) if ids else ChunkOutcome()
        PaymentRunChunk.update(
            schedules=len(ids),
            line_count=outcome.lines,
            net=outcome.net,
            notes=list(outcome.notes),
            done_at=utcnow(),
        ).where(PaymentRunChunk.id == chunk.id).execute()
        # Progress last: from here to the commit the run's row is locked (briefly, so
        # chunks of other workers are not held up by it).
        PaymentRun.update(job_done=PaymentRun.job_done + len(ids)).where(
            (PaymentRun.id == run_id) & (PaymentRun.generation == generation)
        ).execute()
    return "done"


def when_all_done(
    pending: pw.ModelSelect,
    run_id: int,
    is_current: Callable[[PaymentRun | None], bool],
    last_step: Callable[[PaymentRun], None],
) -> str:
    """Take the last step of a chunked job once no chunk is PENDING: "done", WAITING or
    "stale". Looked at first without the lock, since every chunk but the last sees work
    left; then again under the run's lock, so that of two chunks finishing together only
    one takes the step."""
    if pending.exists():
        return WAITING  # read after this chunk's commit: the last one to commit sees none
    with write_transaction():
        run = run_locks.exclusive(run_id)
        if not is_current(run):
            return "stale"
        if pending.exists():
            return WAITING
        last_step(run)
    return "done"


def finish(run_id: int, generation: int) -> str:
    """CALCULATED once every chunk is done: "done", WAITING (chunks left) or "stale"."""

    def calculated(run: PaymentRun) -> None:
        chunks = list(PaymentRunChunk.select().where(_of(run_id, generation)))
        _check_totals(run_id, chunks)
        if run.kind == "MAIN":
            rows = loan_rows(run.id, run.period)
            if rows:  # a loan another run took meanwhile keeps that run's line
                PaymentLine.insert_many(rows).on_conflict_ignore().execute()
        notes = sorted((n for c in chunks for n in c.notes or []), key=lambda n: n["scheduleId"])
        lifecycle.advance_if(
            run,
            "CALCULATED",
            None,
            "calculation done",
            where=PaymentRun.generation == generation,
            job_status="DONE",
            job_done=PaymentRun.job_total,
            job_error=None,
            exceptions=notes,
        )

    pending = PaymentRunChunk.select().where(
        _of(run_id, generation) & (PaymentRunChunk.state == PENDING)
    )
    return when_all_done(pending, run_id, lambda run: current(run, generation), calculated)


def _check_totals(run_id: int, chunks: list[PaymentRunChunk]) -> None:
    """The run's lines are exactly what its chunks wrote (count and net), before the loan
    lines join them: a chunk that wrote twice, or lines of another generation, stop the
    run here rather than reach an approver."""
    count, cents = (
        PaymentLine.select(
            pw.fn.COUNT(PaymentLine.id), pw.fn.COALESCE(pw.fn.SUM(PaymentLine.net), 0)
        )
        .where(PaymentLine.run == run_id)
        .tuples()
        .first()
    )
    expected = sum(c.line_count for c in chunks), sum((c.net for c in chunks), ZERO)
    if (count, from_cents(int(cents))) != expected:
        raise RuntimeError(  # an invariant, not a user's error: the job fails, visibly
            f"the run has {count} lines for {from_cents(int(cents))}; its chunks wrote "
            f"{expected[0]} for {expected[1]}"
        )
