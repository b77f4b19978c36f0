"""Enqueue a run's background job. Call only after the claiming transaction committed."""

from __future__ import annotations

from econ import dispatch
from econ.plugins import module_exists

TASKS = {
    "CALCULATE": "stipends.calculate_payment_run",
    "DISBURSE": "stipends.disburse_payment_run",
}
STATEMENTS_TASK = "statements.generate_run_statements"
COMPLETED = ("COMPLETED", "COMPLETED_WITH_FAILURES")


def enqueue(kind: str, run_id: int, generation: int) -> str:
    """Returns the Celery task id."""
    if kind == "CALCULATE":
        return dispatch.enqueue(TASKS["CALCULATE"], run_id, generation)
    return dispatch.enqueue(TASKS["DISBURSE"], run_id)


def run_state(run_id: int) -> str | None:
    from econ.stipends.models import PaymentRun

    run = PaymentRun.get_or_none(PaymentRun.id == run_id)
    return run.state if run else None


def run_settled(run_id: int, before: str | None, after: str | None) -> str | None:
    """A run that has just become completed (and committed) gets its statements, if the
    statements domain is installed; sent by name, so stipends does not depend on it.
    Called by the disbursement task, the import mutation and the CLI, not by the services,
    so service-level tests never start background work."""
    if after in COMPLETED and after != before and module_exists("econ.statements.tasks"):
        return dispatch.enqueue(STATEMENTS_TASK, run_id)
    return None
