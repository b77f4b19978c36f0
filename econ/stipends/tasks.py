"""Celery tasks of payment runs. Idempotent: see engine.py, chunks.py, export_chunks.py and
disbursement.py.

Never auto-retried: a money task that fails marks its job FAILED, and a person restarts
it (recalculatePaymentRun, disbursePaymentRun). With acks_late a task whose worker died
is redelivered and simply finishes the work.
"""

from __future__ import annotations

from celery.schedules import crontab

from econ.celery_app import app
from econ.config import get_settings
from econ.db import db, is_postgres
from econ.stipends import disbursement, engine, export_chunks, lifecycle, schedules, stalled

# Daily at 02:45 (econ/worker.py collects every domain's SCHEDULE for beat): schedules
# whose months are all paid end on the day (the next run would only find out later).
SCHEDULE = {
    "stipends-end-used-schedules": {
        "task": "stipends.end_used_schedules",
        "schedule": crontab(hour=2, minute=45),
    },
    # Every five minutes: calculations whose messages were lost are sent again
    # (stalled.py says why that is safe).
    "stipends-resume-stalled-calculations": {
        "task": "stipends.resume_stalled_calculations",
        "schedule": crontab(minute="*/5"),
    },
    "stipends-resume-stalled-exports": {
        "task": "stipends.resume_stalled_exports",
        "schedule": crontab(minute="*/5"),
    },
}


CHUNK_TASK = "stipends.calculate_payment_chunk"


@app.task(name="stipends.calculate_payment_run", acks_late=True, bind=True)
def calculate_payment_run(self, run_id: int, generation: int) -> str:
    """With workers sharing a broker on PostgreSQL: plan the run's chunks and send one
    task per chunk not done yet, to the queue this message came from (a redelivery
    sends the rest again; a chunk done already does nothing). Otherwise (SQLite, the
    in-process worker) every chunk in order here."""
    with db.connection_context():
        if not _chunked():
            return engine.calculate_run(run_id, generation, self.request.id)
        pending = engine.plan_run(run_id, generation, self.request.id)
        if pending == []:  # every chunk done, the run not finished: finish it here
            return engine.finish_run(run_id, generation)
    if pending is None:
        return "stale"
    queue = (self.request.delivery_info or {}).get("routing_key")
    for number in pending:
        app.send_task(CHUNK_TASK, args=[run_id, generation, number], queue=queue)
    return f"{len(pending)} chunks"


@app.task(name=CHUNK_TASK, acks_late=True)
def calculate_payment_chunk(run_id: int, generation: int, number: int) -> str:
    with db.connection_context():
        return engine.calculate_chunk(run_id, generation, number)


EXPORT_CHUNK_TASK = "stipends.disburse_payment_chunk"


@app.task(name="stipends.disburse_payment_run", acks_late=True, bind=True)
def disburse_payment_run(self, run_id: int) -> str:
    """Like the calculation: with workers sharing a broker on PostgreSQL, plan the
    export's chunks (the round: the task that planned the job first) and send one task
    per chunk not done yet; the last chunk to commit writes the files. Otherwise one
    task does it all."""
    with db.connection_context():
        if not _chunked():
            return _settled(run_id, disbursement.export_run, run_id, self.request.id)
        planned = export_chunks.plan_export(run_id, self.request.id)
        if planned is not None and not planned[1]:  # every chunk done, no files yet
            return _settled(run_id, export_chunks.finish_export, run_id, planned[0])
    if planned is None:
        return "stale"
    round_, pending = planned
    queue = (self.request.delivery_info or {}).get("routing_key")
    for number in pending:
        app.send_task(EXPORT_CHUNK_TASK, args=[run_id, round_, number], queue=queue)
    return f"{len(pending)} chunks"


@app.task(name=EXPORT_CHUNK_TASK, acks_late=True)
def disburse_payment_chunk(run_id: int, round_: str, number: int) -> str:
    with db.connection_context():
        return _settled(run_id, export_chunks.export_chunk, run_id, round_, number)


def _settled(run_id: int, step, *args) -> str:
    """`step(*args)`, then what follows from the run's state having moved (lifecycle)."""
    before = lifecycle.state_of(run_id)
    result = step(*args)
    lifecycle.settled(run_id, before, lifecycle.state_of(run_id))
    return result


@app.task(name="stipends.end_used_schedules", acks_late=True)
def end_used_schedules() -> int:
    """Idempotent: see schedules.end_used_schedules."""
    with db.connection_context():
        return schedules.end_used_schedules()


@app.task(name="stipends.resume_stalled_calculations", acks_late=True)
def resume_stalled_calculations() -> list[int]:
    """Idempotent: see stalled.py."""
    with db.connection_context():
        return stalled.resume_stalled()


@app.task(name="stipends.resume_stalled_exports", acks_late=True)
def resume_stalled_exports() -> list[int]:
    """Idempotent: see stalled.py. Only exports in chunks (PostgreSQL with a broker) show
    life as they go; the single task's transactions show none for minutes, so it is
    never taken for stalled."""
    with db.connection_context():
        if not _chunked():
            return []
        return stalled.resume_stalled_exports()


def _chunked() -> bool:
    """Runs are calculated and exported in chunk tasks (else one task does each)."""
    return is_postgres() and bool(get_settings().broker_url)
