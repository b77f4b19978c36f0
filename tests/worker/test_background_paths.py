"""One real task through both background paths: the in-process worker and Redis."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from celery import Celery

from econ.config import get_settings
from econ.db import utcnow
from econ.security.models import Session

ROOT = Path(__file__).resolve().parents[2]


def _expired_session(people) -> int:
    user, _ = people.counselor()
    long_ago = utcnow() - dt.timedelta(days=3)
    Session.create(
        token_hash="f" * 64,
        user=user,
        created_at=long_ago,
        expires_at=long_ago + dt.timedelta(hours=1),
    )
    Session.create(token_hash="e" * 64, user=user, expires_at=utcnow() + dt.timedelta(hours=1))
    return user.id


def test_in_process_worker_runs_a_task_in_the_background(http, people):
    from econ.security.tasks import purge_expired_sessions

    _expired_session(people)
    result = purge_expired_sessions.delay()
    assert result.get(timeout=20) == 1
    assert [s.token_hash for s in Session.select()] == ["e" * 64]


def test_redis_worker_process_runs_the_same_task(people, redis_url):
    _expired_session(people)
    settings = get_settings()
    env = {
        **os.environ,
        "ECON_BROKER_URL": redis_url,
        "ECON_DATA_DIR": str(settings.data_dir),
        "ECON_DATABASE_URL": settings.database_url,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "econ.worker",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    client = Celery(broker=redis_url, backend=redis_url)
    try:
        result = client.send_task("security.purge_expired_sessions")
        assert result.get(timeout=60) == 1
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.close()
    assert [s.token_hash for s in Session.select()] == ["e" * 64]
    assert worker.returncode is not None
