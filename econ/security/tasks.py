"""Housekeeping tasks of the security domain."""

from __future__ import annotations

from econ.security import services
from econ.worker import app


@app.task(name="security.purge_expired_sessions", acks_late=True)
def purge_expired_sessions() -> int:
    """Delete long-expired sessions and old login attempts; returns how many sessions went."""
    from econ.db import db

    with db.connection_context():
        return services.purge_expired_sessions()
