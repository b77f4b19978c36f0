"""Housekeeping tasks of the security domain."""

from __future__ import annotations

from celery.schedules import crontab

from econ.celery_app import app
from econ.db import db
from econ.security import services

# Hourly (econ/worker.py collects every domain's SCHEDULE for beat).
SCHEDULE = {
    "security-purge-expired-sessions": {
        "task": "security.purge_expired_sessions",
        "schedule": crontab(minute=5),
    },
}


@app.task(name="security.purge_expired_sessions", acks_late=True)
def purge_expired_sessions() -> int:
    """Delete long-expired sessions and old login attempts; returns how many sessions went."""
    with db.connection_context():
        return services.purge_expired_sessions()
