"""Daily jobs: close opportunities past their closing date, pre-fill last month's income."""

from __future__ import annotations

import datetime as dt

from celery.schedules import crontab

from econ import months
from econ.celery_app import app
from econ.db import db
from econ.employers import services

# Daily at 03:15 (econ/worker.py collects every domain's SCHEDULE for beat).
SCHEDULE = {
    "employers-daily": {"task": "employers.daily", "schedule": crontab(hour=3, minute=15)},
}


def previous_month(today: dt.date | None = None) -> str:
    return months.previous_month(months.month_of(today or dt.date.today()))


@app.task(name="employers.daily", acks_late=True)
def daily(month: str | None = None) -> dict:
    """Idempotent: closing is a conditional update, an income offer is unique per month."""
    with db.connection_context():
        closed = services.close_expired()
        offered = services.offer_income_records(month or previous_month())
    return {"closed": closed, "income_offers": offered}
