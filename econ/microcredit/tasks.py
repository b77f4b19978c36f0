"""Nightly arrears run: days past due per loan and the portfolio figures as of a date."""

from __future__ import annotations

from datetime import date, timedelta

from celery.schedules import crontab

from econ.celery_app import app
from econ.db import db
from econ.microcredit.arrears import recompute

# This domain's periodic work (econ/worker.py collects every domain's SCHEDULE for beat):
# at 02:30, the arrears and PAR30 snapshot of the day that just ended.
SCHEDULE = {
    "microcredit-nightly-arrears": {
        "task": "microcredit.recompute_arrears",
        "schedule": crontab(hour=2, minute=30),
    },
}


@app.task(name="microcredit.recompute_arrears", acks_late=True)
def recompute_arrears(as_of: str | None = None) -> dict:
    """Idempotent: recomputing a date replaces that date's snapshot."""
    day = date.fromisoformat(as_of) if as_of else date.today() - timedelta(days=1)
    with db.connection_context():
        result = recompute(day)
    return {"par30": str(result.par30), "arrears_rate": str(result.arrears_rate)}
