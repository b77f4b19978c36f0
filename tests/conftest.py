"""Test set-up shared by every suite.

The database is SQLite in a temporary folder, or PostgreSQL when ECON_TEST_DATABASE_URL is
set (CI runs both). Tables are emptied before each test. Fixtures give an HTTP client on
the real ASGI app (with the in-process worker), users of each role and a `gql` helper.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from urllib.parse import urlparse

_DATA_DIR = tempfile.mkdtemp(prefix="econ-test-")
os.environ.update(
    {
        "ECON_ENV": "test",
        "ECON_DATA_DIR": _DATA_DIR,
        "ECON_SECRET_KEY": "test-secret-key-0123456789-0123456789-abcdef",
        "ECON_ARGON2_TIME_COST": "1",
        "ECON_ARGON2_MEMORY_KIB": "8",
        "ECON_DATABASE_URL": os.environ.get("ECON_TEST_DATABASE_URL", ""),
        "ECON_BROKER_URL": "",
        "ECON_EMBEDDED_BEAT": "false",  # periodic work is tested by calling it
        "ECON_LOG_LEVEL": "WARNING",
        # Every test client shares one address; the rate-limit tests set their own rates.
        "ECON_ANONYMOUS_RATE": "1000000/minute",
        "ECON_LOGIN_RATE": "1000000/minute",
        "ECON_RATE_LIMIT_URL": "",
    }
)

import pytest  # noqa: E402

from econ.config import load_settings, use_settings  # noqa: E402
from econ.db import db, init_database, is_postgres  # noqa: E402
from econ.migrations import MIGRATION_TABLE, apply_all  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.people import People  # noqa: E402

SETTINGS = use_settings(load_settings())
IN_CI = os.environ.get("CI", "").lower() == "true"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def require_service(name: str, url: str, port: int) -> None:
    """Skip without the service on a developer machine; fail loudly in CI."""
    if _reachable(url, port):
        return
    message = f"{name} is not reachable at {url}"
    if IN_CI:
        pytest.fail(message + " (CI=true requires it)")
    pytest.skip(message)


POSTGRES_URL = os.environ.get("ECON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("ECON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def postgres_url() -> str:
    require_service("PostgreSQL", POSTGRES_URL, 5432)
    return POSTGRES_URL


@pytest.fixture
def redis_url() -> str:
    require_service("Redis", REDIS_URL, 6379)
    return REDIS_URL


@pytest.fixture(scope="session", autouse=True)
def database():
    init_database(SETTINGS)
    db.connect(reuse_if_open=True)
    if is_postgres():
        # A clean schema per run: earlier runs may have left other tables behind.
        db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    apply_all()
    from econ.worker import ensure_configured

    ensure_configured()
    _track_background_tasks()
    yield db
    if not db.is_closed():
        db.close()


def truncate_all() -> None:
    tables = [t for t in db.get_tables() if t != MIGRATION_TABLE]
    if not tables:
        return
    if is_postgres():
        quoted = ", ".join(f'"{t}"' for t in tables)
        db.execute_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    else:
        db.execute_sql("PRAGMA foreign_keys = OFF")
        for table in tables:
            db.execute_sql(f'DELETE FROM "{table}"')
        db.execute_sql(
            "DELETE FROM sqlite_sequence"
        ) if "sqlite_sequence" in db.get_tables() else None
        db.execute_sql("PRAGMA foreign_keys = ON")


_inflight: set[str] = set()
_inflight_lock = threading.Lock()
_worker_started = threading.Event()


def _track_background_tasks() -> None:
    """Remember the tasks the app sends to the in-process worker, so that a test's
    leftover background work (e.g. statements after a completed run) finishes before the
    next test empties the tables under it."""
    from celery.signals import task_postrun

    from econ import dispatch
    from econ.worker import _send

    def tracked(name: str, args: tuple) -> str:
        task_id = _send(name, args)
        with _inflight_lock:
            _inflight.add(task_id)
        return task_id

    def finished(task_id=None, **_kwargs) -> None:
        with _inflight_lock:
            _inflight.discard(task_id)

    task_postrun.connect(finished, weak=False)
    dispatch.register(tracked)


def wait_for_background_tasks(timeout: float = 60.0) -> None:
    if not _worker_started.is_set():
        return  # nothing consumes tasks yet (the `http` fixture starts the worker)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _inflight_lock:
            if not _inflight:
                return
        time.sleep(0.05)
    with _inflight_lock:
        _inflight.clear()  # a task that never ran (no worker in that test): stop waiting


@pytest.fixture(autouse=True)
def clean_tables(database):
    wait_for_background_tasks()
    db.connect(reuse_if_open=True)
    truncate_all()
    yield


@pytest.fixture(scope="session")
def app():
    from econ.app import app as asgi_app

    return asgi_app


@pytest.fixture(scope="session")
def http(app):
    """One client (and one in-process worker) for the whole session."""
    from starlette.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as client:
        _worker_started.set()
        yield client


@pytest.fixture
def api(http) -> Api:
    return Api(http)


@pytest.fixture
def people() -> People:
    return People()
