"""The Celery app: Redis when `ECON_BROKER_URL` is set, otherwise an in-process worker.

Embedded mode uses Celery's in-memory transport and a worker thread started by the server
(`start_embedded_worker`), so `make run` needs no broker and tasks still run in the
background. With Redis, any number of `celery -A econ.worker worker` processes share the
queue. The composition root of the worker: every task module is imported here (TASK_MODULES).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from contextlib import AbstractContextManager

import redis
from celery import Celery
from celery.beat import EmbeddedService, Scheduler
from celery.contrib.testing.worker import start_worker
from celery.signals import worker_init, worker_process_init

from econ import dispatch
from econ.celery_app import app, configure
from econ.config import Settings, get_settings
from econ.db import init_database
from econ.employers import tasks as employers_tasks
from econ.microcredit import disbursements
from econ.microcredit import tasks as microcredit_tasks
from econ.operations.logs import configure_logging
from econ.operations.metrics import install_task_metrics, serve_worker_metrics
from econ.security import tasks as security_tasks
from econ.statements import tasks as statements_tasks
from econ.stipends import tasks as stipends_tasks

log = logging.getLogger(__name__)

# Every domain's task modules: imported here, so a worker (and the embedded one) knows
# every task the app may send by name.
TASK_MODULES = (
    security_tasks,
    employers_tasks,
    stipends_tasks,
    microcredit_tasks,
    statements_tasks,
)


# Every domain's periodic work, for `celery -A econ.worker beat` (README, production).
BEAT_SCHEDULE = {name: entry for module in TASK_MODULES for name, entry in module.SCHEDULE.items()}
app.conf.beat_schedule = BEAT_SCHEDULE

_configured = threading.Lock()
_done = False


def ensure_configured(settings: Settings | None = None) -> Celery:
    global _done
    with _configured:
        if not _done or settings is not None:
            configure(app, settings or get_settings())
            dispatch.register(_send)
            disbursements.register()  # payment runs pay loans out (stipends.loan_lines)
            _done = True
    return app


@worker_process_init.connect
def _bind_database(**_kwargs) -> None:
    """A worker process opens its own database connection (never inherit a parent's)."""
    init_database(get_settings())


def _send(task_name: str, args: tuple) -> str:
    return app.send_task(task_name, args=list(args)).id


class EmbeddedWorker(AbstractContextManager):
    """A Celery worker in a thread of this process, for the embedded (no broker) mode,
    and with `beat` a scheduler thread that sends BEAT_SCHEDULE's tasks when due, so that
    `make run` does its periodic work as production's `celery beat` does. The schedule is
    kept in memory (every periodic task is idempotent, so a restart at most waits for the
    next due time; no schedule file lands in the data directory)."""

    def __init__(self, concurrency: int = 2, *, beat: bool = False):
        self.concurrency = concurrency
        self._cm = None
        self._beat = EmbeddedService(app, thread=True, scheduler_cls=Scheduler) if beat else None

    def __enter__(self) -> EmbeddedWorker:
        ensure_configured()
        self._cm = start_worker(
            app,
            pool="threads",
            concurrency=self.concurrency,
            perform_ping_check=False,
            shutdown_timeout=30.0,
            loglevel="WARNING",
        )
        self._cm.__enter__()
        if self._beat is not None:
            self._beat.start()
        log.info(
            "in-process worker started (%d threads%s)",
            self.concurrency,
            ", periodic work on schedule" if self._beat else "",
        )
        return self

    def __exit__(self, *exc) -> None:
        if self._beat is not None and self._beat.is_alive():
            self._beat.stop()
        if self._cm is not None:
            self._cm.__exit__(None, None, None)
            self._cm = None

    def alive(self) -> bool:
        return self._cm is not None


def broker_status() -> str:
    """'in-process' in embedded mode, 'ok' when Redis answers; raises otherwise."""
    settings = get_settings()
    if not settings.broker_url:
        return "in-process"

    redis.Redis.from_url(settings.broker_url, socket_timeout=2).ping()
    return "ok"


_workers_seen: tuple[float, int] = (0.0, 0)


def worker_count(cache_seconds: float = 10.0) -> int:
    """How many Celery workers answer a ping (cached: a ping waits its whole timeout)."""
    global _workers_seen
    at, count = _workers_seen
    if time.monotonic() - at > cache_seconds:
        count = len(ensure_configured().control.ping(timeout=0.5) or [])
        _workers_seen = (time.monotonic(), count)
    return count


@worker_init.connect
def _worker_metrics(**_kwargs) -> None:
    """A Celery worker records its tasks, and serves them on ECON_METRICS_PORT if set."""
    settings = get_settings()
    configure_logging(settings)
    install_task_metrics()
    if settings.metrics_port:
        serve_worker_metrics(settings.metrics_port)


# `celery -A econ.worker worker` imports this module: configure from the environment then.
def _configure_for_cli() -> None:
    if any("celery" in arg for arg in sys.argv[:1]):
        ensure_configured()

        init_database(get_settings())


_configure_for_cli()
