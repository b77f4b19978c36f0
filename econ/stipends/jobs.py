"""Enqueue a run's background job. Call only after the claiming transaction committed."""

from __future__ import annotations

from econ import dispatch

TASKS = {
    "CALCULATE": "stipends.calculate_payment_run",
    "DISBURSE": "stipends.disburse_payment_run",
}


def enqueue(kind: str, run_id: int, generation: int) -> str:
    """Returns the Celery task id."""
    if kind == "CALCULATE":
        return dispatch.enqueue(TASKS["CALCULATE"], run_id, generation)
    return dispatch.enqueue(TASKS["DISBURSE"], run_id)
