"""Celery tasks: a statement for every line of a completed payment run, and one on demand.

Idempotent: a line whose statement exists is skipped (and the database holds one statement
per participant and month), so a redelivered or duplicated task writes nothing twice.
"""

from __future__ import annotations

from econ.celery_app import app
from econ.db import db
from econ.errors import NotFound
from econ.statements import services

SCHEDULE: dict = {}  # no periodic work (econ/worker.py collects every domain's SCHEDULE)


@app.task(name="statements.generate_run_statements", acks_late=True)
def generate_run_statements(run_id: int) -> int:
    with db.connection_context():
        try:
            return services.generate_for_run(run_id)
        except NotFound:  # runs are never deleted; nothing to do if it is gone anyway
            return 0


@app.task(name="statements.generate_statement", acks_late=True)
def generate_statement(
    participant_id: int, period: str, language: str | None, requested_by: int | None
) -> int:
    with db.connection_context():
        return services.generate(participant_id, period, language, requested_by=requested_by).id


@app.task(name="statements.regenerate_line_statements", acks_late=True)
def regenerate_line_statements(line_ids: list[int]) -> int:
    with db.connection_context():
        return services.regenerate_for_lines(line_ids)
