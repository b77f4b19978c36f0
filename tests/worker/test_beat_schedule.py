"""Periodic work is declared once per domain and collected by the worker for beat."""

from __future__ import annotations

import datetime as dt
import time

from econ.security.models import Session
from econ.worker import BEAT_SCHEDULE, TASK_MODULES, EmbeddedWorker, app, ensure_configured
from tests.worker.test_background_paths import _expired_session


def test_every_domains_schedule_is_collected_and_names_a_registered_task():
    ensure_configured()
    assert app.conf.beat_schedule == BEAT_SCHEDULE
    declared = {name for module in TASK_MODULES for name in module.SCHEDULE}
    assert declared == set(BEAT_SCHEDULE)
    assert {
        "microcredit-nightly-arrears",
        "employers-daily",
        "security-purge-expired-sessions",
    } <= declared
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_the_embedded_worker_runs_periodic_work_on_its_schedule(people, monkeypatch):
    """Issue 13 item 8: `make run` (no broker) does its periodic work as production does."""
    _expired_session(people)
    every_second = {"task": "security.purge_expired_sessions", "schedule": dt.timedelta(seconds=1)}
    monkeypatch.setitem(app.conf, "beat_schedule", {"test-purge": every_second})
    with EmbeddedWorker(1, beat=True) as worker:
        for _ in range(300):  # bounded wait for the scheduler thread (not a timing assertion)
            if Session.select().count() == 1:
                break
            time.sleep(0.1)
        beat_alive = worker._beat.is_alive()
    assert beat_alive
    assert [s.token_hash for s in Session.select()] == ["e" * 64]
    assert not worker._beat.is_alive()  # stopped with the worker
