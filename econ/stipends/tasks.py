"""Celery tasks of payment runs. Idempotent: see engine.py and disbursement.py.

Never auto-retried: a money task that fails marks its job FAILED, and a person restarts
it (recalculatePaymentRun, disbursePaymentRun). With acks_late a task whose worker died
is redelivered and simply finishes the work.
"""

from __future__ import annotations

from econ.db import db
from econ.stipends import disbursement, engine, jobs
from econ.worker import app


@app.task(name="stipends.calculate_payment_run", acks_late=True, bind=True)
def calculate_payment_run(self, run_id: int, generation: int) -> str:
    with db.connection_context():
        return engine.calculate_run(run_id, generation, self.request.id)


@app.task(name="stipends.disburse_payment_run", acks_late=True, bind=True)
def disburse_payment_run(self, run_id: int) -> str:
    with db.connection_context():
        before = jobs.run_state(run_id)
        result = disbursement.export_run(run_id, self.request.id)
        jobs.run_settled(run_id, before, jobs.run_state(run_id))
        return result
