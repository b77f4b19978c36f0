"""The calculation task's work: lines for every eligible schedule, in bounded chunks.

Safe to run twice, concurrently, or again after a crash, in one process or across many
workers: the run is cut into chunks (econ/stipends/chunks.py), each chunk one
transaction that holds the run's lock shared, re-checks the run's state and generation,
claims its chunk row and writes lines, award and adjustment claims, totals and progress
together. A recalculation bumps the generation under the exclusive lock, so an older
chunk that comes later writes nothing.

`calculate_run` does every chunk in order in this process (SQLite, the in-process
worker, the CLI and the tests); the Celery task fans the chunks out to the queue where
workers share them (`plan_run`, then `calculate_chunk` per chunk).
"""

from __future__ import annotations

from econ.config import get_settings
from econ.db import write_transaction
from econ.errors import DomainError
from econ.stipends import chunks, lifecycle, run_locks
from econ.stipends.models import PaymentRun


def calculate_run(
    run_id: int, generation: int, task_id: str | None = None, chunk: int | None = None
) -> str:
    """Calculate every line of the run here; returns "done", "stale" or "failed"."""
    run = PaymentRun.get_or_none(PaymentRun.id == run_id)
    if not chunks.current(run, generation):
        return "stale"
    try:
        pending = chunks.plan(
            run_id, generation, chunk or get_settings().payment_chunk_size, task_id
        )
        if pending is None:
            return "stale"
        for number in pending:
            if chunks.run_chunk(run_id, generation, number) == "stale":
                return "stale"
        outcome = chunks.finish(run_id, generation)
    except Exception as exc:
        _fail(run_id, generation, exc)
        return "failed"
    # WAITING: a duplicate delivery elsewhere still holds chunks; the last one finishes.
    return "done" if outcome == chunks.WAITING else outcome


def plan_run(run_id: int, generation: int, task_id: str | None = None) -> list[int] | None:
    """The chunks to send to the workers (None: stale or failed)."""
    try:
        return chunks.plan(run_id, generation, get_settings().payment_chunk_size, task_id)
    except Exception as exc:
        _fail(run_id, generation, exc)
        return None


def calculate_chunk(run_id: int, generation: int, number: int) -> str:
    """One chunk task: its lines, then the run finished if it was the last to commit."""
    try:
        if chunks.run_chunk(run_id, generation, number) == "stale":
            return "stale"
    except Exception as exc:
        _fail(run_id, generation, exc)
        return "failed"
    return finish_run(run_id, generation)


def finish_run(run_id: int, generation: int) -> str:
    """The run finished once every chunk is done. Also what a planning task does when it
    finds every chunk done but the run not finished: the worker of the last chunk died
    between committing it and finishing the run, and no chunk is left to finish it."""
    try:
        return chunks.finish(run_id, generation)
    except Exception as exc:
        _fail(run_id, generation, exc)
        return "failed"


def _fail(run_id: int, generation: int, exc: Exception) -> None:
    """Back to DRAFT with the error (under the exclusive lock: the chunks in flight
    commit first, and later ones find the run no longer CALCULATING)."""
    message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
    with write_transaction():
        run = run_locks.exclusive(run_id)
        if not chunks.current(run, generation):
            return
        lifecycle.advance_if(
            run,
            "DRAFT",
            None,
            "calculation failed",
            job_status="FAILED",
            job_error=message[:500],
        )
