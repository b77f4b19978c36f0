"""Prometheus metrics (prometheus-client): requests, tasks, payment-run progress, queue depth.

- `econ_http_requests_total{method,route,status}` and `econ_http_request_duration_seconds`
  (route is the route's template, never a raw path with ids in it);
- `econ_tasks_total{task,outcome}`, `econ_task_duration_seconds{task}` and
  `econ_task_failures_total{task}`, recorded by Celery signals wherever tasks run (the
  in-process worker or `celery -A econ.worker worker`);
- at scrape time, from the database and the broker: `econ_payment_run_job_done` /
  `econ_payment_run_job_total{run,period,kind,status}` for runs with a job queued or
  running, and `econ_queue_depth{queue}` (tasks waiting in Redis).

The web service serves them at `/metrics` behind `ECON_METRICS_TOKEN`; a Celery worker
on `ECON_METRICS_PORT`. With several processes per host (`--workers N`, Celery's prefork
pool) set prometheus-client's `PROMETHEUS_MULTIPROC_DIR` to an empty folder so that every
process's counters are added up.
"""

from __future__ import annotations

import hmac
import logging
import os
import time

import redis
from celery.signals import task_failure, task_postrun, task_prerun
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily

from econ.config import Settings, get_settings
from econ.db import db

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "econ_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "econ_http_request_duration_seconds", "Time to answer an HTTP request", ["route"]
)
TASKS = Counter("econ_tasks_total", "Background tasks finished", ["task", "outcome"])
TASK_SECONDS = Histogram(
    "econ_task_duration_seconds",
    "Time a background task ran",
    ["task"],
    buckets=(0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
)
TASK_FAILURES = Counter("econ_task_failures_total", "Background tasks that failed", ["task"])


class StateCollector:
    """Facts read at scrape time: the same whichever process answers."""

    def collect(self):
        done = GaugeMetricFamily(
            "econ_payment_run_job_done", "Items done by a payment run's current job",
            labels=["run", "period", "kind", "status"],
        )  # fmt: skip
        total = GaugeMetricFamily(
            "econ_payment_run_job_total", "Items a payment run's current job has to do",
            labels=["run", "period", "kind", "status"],
        )  # fmt: skip
        try:
            with db.connection_context():
                rows = db.execute_sql(
                    "SELECT id, period, job_kind, job_status, job_done, job_total "
                    "FROM payment_run WHERE job_status IN ('QUEUED', 'RUNNING')"
                ).fetchall()
        except Exception:  # a scrape never fails because the database does
            log.warning("metrics: payment runs not readable", exc_info=True)
            rows = []
        for run_id, period, kind, status, job_done, job_total in rows:
            labels = [str(run_id), period, kind or "", status]
            done.add_metric(labels, job_done or 0)
            total.add_metric(labels, job_total or 0)
        yield done
        yield total
        depth = _queue_depth()
        if depth is not None:
            queue = GaugeMetricFamily(
                "econ_queue_depth", "Tasks waiting in the broker", labels=["queue"]
            )
            queue.add_metric(["celery"], depth)
            yield queue


def _queue_depth() -> int | None:
    settings = get_settings()
    if not settings.broker_url:
        return None  # in-process worker: no queue outside this process
    try:
        return int(redis.Redis.from_url(settings.broker_url, socket_timeout=2).llen("celery"))
    except Exception:
        log.warning("metrics: broker not readable", exc_info=True)
        return None


def registry() -> CollectorRegistry:
    """What a scrape reads: this process, or every process with PROMETHEUS_MULTIPROC_DIR."""
    global _registry
    if _registry is None:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            _registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(_registry)
        else:
            _registry = REGISTRY
        _registry.register(StateCollector())
    return _registry


_registry: CollectorRegistry | None = None


def exposition() -> tuple[bytes, str]:
    return generate_latest(registry()), CONTENT_TYPE_LATEST


def token_accepted(settings: Settings, authorization: str | None) -> bool:
    scheme, _, token = (authorization or "").partition(" ")
    return (
        bool(settings.metrics_token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(token.strip().encode(), settings.metrics_token.encode())
    )


# ---- tasks ------------------------------------------------------------------------------

_started: dict[str, float] = {}


def _task_started(task_id=None, **_kwargs) -> None:
    _started[task_id] = time.monotonic()


def _task_finished(task_id=None, task=None, state=None, **_kwargs) -> None:
    began = _started.pop(task_id, None)
    name = getattr(task, "name", "unknown")
    if began is not None:
        TASK_SECONDS.labels(name).observe(time.monotonic() - began)
    TASKS.labels(name, "success" if state == "SUCCESS" else (state or "unknown").lower()).inc()


def _task_failed(sender=None, **_kwargs) -> None:
    TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()


def install_task_metrics() -> None:
    """Connect the Celery signals once per process."""
    task_prerun.connect(_task_started, weak=False, dispatch_uid="econ-metrics-prerun")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="econ-metrics-postrun")
    task_failure.connect(_task_failed, weak=False, dispatch_uid="econ-metrics-failure")


def serve_worker_metrics(port: int) -> None:
    """A Celery worker's own metrics endpoint (plain HTTP: bind it to a private network)."""
    start_http_server(port, registry=registry())
    log.info("metrics on port %d", port)
