"""Celery tasks of payment runs. Idempotent: see engine.py and disbursement.py.

Never auto-retried: a money task that fails marks its job FAILED, and a person restarts
it (recalculatePaymentRun, disbursePaymentRun). With acks_late a task whose worker died
is redelivered and simply finishes the work.
"""

from __future__ import annotations

from celery.schedules import crontab

from econ.celery_app import app
from econ.db import db
from econ.stipends import disbursement, engine, lifecycle, schedules

# Daily at 02:45 (econ/worker.py collects every domain's SCHEDULE for beat): schedules
# whose months are all paid end on the day (the next run would only find out later).
SCHEDULE = {
    "stipends-end-used-schedules": {
        "task": "stipends.end_used_schedules",
        "schedule": crontab(hour=2, minute=45),
    },
}


@app.task(name="stipends.calculate_payment_run", acks_late=True, bind=True)
def calculate_payment_run(self, run_id: int, generation: int) -> str:
    with db.connection_context():
        return engine.calculate_run(run_id, generation, self.request.id)


@app.task(name="stipends.disburse_payment_run", acks_late=True, bind=True)
def disburse_payment_run(self, run_id: int) -> str:
    with db.connection_context():
        before = lifecycle.state_of(run_id)
        result = disbursement.export_run(run_id, self.request.id)
        lifecycle.settled(run_id, before, lifecycle.state_of(run_id))
        return result


@app.task(name="stipends.end_used_schedules", acks_late=True)
def end_used_schedules() -> int:
    """Idempotent: see schedules.end_used_schedules."""
    with db.connection_context():
        return schedules.end_used_schedules()
