"""Enqueue a run's background job. Call only after the claiming transaction committed.

The import of the Celery tasks is deferred so that services stay free of Celery at
import time (and service tests can run without a worker).
"""

from __future__ import annotations


def enqueue(kind: str, run_id: int, generation: int) -> str:
    """Returns the Celery task id."""
    from econ.stipends import tasks

    if kind == "CALCULATE":
        return tasks.calculate_payment_run.delay(run_id, generation).id
    return tasks.disburse_payment_run.delay(run_id).id
