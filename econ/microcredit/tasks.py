"""Nightly arrears run: days past due per loan and the portfolio figures as of a date."""

from __future__ import annotations

from datetime import date, timedelta

from celery.schedules import crontab

from econ.worker import app

# Run at 02:30 for the day that just ended; `celery beat` picks this up when it runs.
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "microcredit-nightly-arrears": {
        "task": "microcredit.recompute_arrears",
        "schedule": crontab(hour=2, minute=30),
    },
}


@app.task(name="microcredit.recompute_arrears", acks_late=True)
def recompute_arrears(as_of: str | None = None) -> dict:
    """Idempotent: recomputing a date replaces that date's snapshot."""
    from econ.db import db
    from econ.microcredit.arrears import recompute

    day = date.fromisoformat(as_of) if as_of else date.today() - timedelta(days=1)
    with db.connection_context():
        result = recompute(day)
    return {"par30": str(result.par30), "arrears_rate": str(result.arrears_rate)}
