"""The Celery application the task modules register on, and its configuration.

Below the task modules (they import `app` from here); `econ/worker.py`, the worker's
composition root, imports every task module and starts workers.
"""

from __future__ import annotations

from celery import Celery

from econ.config import Settings

app = Celery("econ")  # configured lazily by econ.worker.ensure_configured (no work at import)


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
    )
