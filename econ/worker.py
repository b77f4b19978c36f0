"""The Celery app: Redis when `ECON_BROKER_URL` is set, otherwise an in-process worker.

Embedded mode uses Celery's in-memory transport and a worker thread started by the server
(`start_embedded_worker`), so `make run` needs no broker and tasks still run in the
background. With Redis, any number of `celery -A econ.worker worker` processes share the
queue. Task modules are listed in TASK_MODULES and imported by the worker.
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager

from celery import Celery
from celery.signals import worker_process_init

from econ import dispatch
from econ.config import Settings, get_settings
from econ.plugins import module_exists

log = logging.getLogger(__name__)

TASK_MODULES = [
    "econ.security.tasks",
    "econ.training.tasks",
    "econ.employers.tasks",
    "econ.stipends.tasks",
    "econ.microcredit.tasks",
    "econ.statements.tasks",
    "econ.outcomes.tasks",
]


def _existing_modules() -> list[str]:
    return [m for m in TASK_MODULES if module_exists(m)]


def configure(app: Celery, settings: Settings) -> None:
    if settings.broker_url:
        app.conf.update(
            broker_url=settings.broker_url,
            result_backend=settings.broker_url,
            # Longer than the longest run, so an unacked money task is not redelivered early.
            broker_transport_options={"visibility_timeout": 6 * 3600},
        )
    else:
        app.conf.update(
            broker_url="memory://localhost/",
            result_backend="cache+memory://",
            broker_transport_options={"polling_interval": 0.01},
        )
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        result_expires=3600,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        imports=_existing_modules(),
    )


app = Celery("econ")  # configured lazily by ensure_configured (no work at import)


_configured = threading.Lock()
_done = False


def ensure_configured(settings: Settings | None = None) -> Celery:
    global _done
    with _configured:
        if not _done or settings is not None:
            configure(app, settings or get_settings())
            for module in _existing_modules():
                __import__(module)
            dispatch.register(_send)
            _done = True
    return app


@worker_process_init.connect
def _bind_database(**_kwargs) -> None:
    """A worker process opens its own database connection (never inherit a parent's)."""
    from econ.db import init_database

    init_database(get_settings())


def _send(task_name: str, args: tuple) -> str:
    return app.send_task(task_name, args=list(args)).id


class EmbeddedWorker(AbstractContextManager):
    """A Celery worker in a thread of this process, for the embedded (no broker) mode."""

    def __init__(self, concurrency: int = 2):
        self.concurrency = concurrency
        self._cm = None

    def __enter__(self) -> EmbeddedWorker:
        from celery.contrib.testing.worker import start_worker

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
        log.info("in-process worker started (%d threads)", self.concurrency)
        return self

    def __exit__(self, *exc) -> None:
        if self._cm is not None:
            self._cm.__exit__(None, None, None)
            self._cm = None


def broker_status() -> str:
    """'in-process' in embedded mode, 'ok' when Redis answers; raises otherwise."""
    settings = get_settings()
    if not settings.broker_url:
        return "in-process"
    import redis

    redis.Redis.from_url(settings.broker_url, socket_timeout=2).ping()
    return "ok"


# `celery -A econ.worker worker` imports this module: configure from the environment then.
def _configure_for_cli() -> None:
    import sys

    if any("celery" in arg for arg in sys.argv[:1]):
        ensure_configured()
        from econ.db import init_database

        init_database(get_settings())


_configure_for_cli()
