"""Send background work by task name, so the domain layer never imports Celery.

`econ.worker.ensure_configured()` registers the sender (the server, the CLI, the worker
processes and the test suite all call it at start-up). Services call `enqueue(...)` only
after their transaction has committed, so a task never runs ahead of the data it needs.
"""

from __future__ import annotations

from collections.abc import Callable

Sender = Callable[[str, tuple], str]
_sender: Sender | None = None


def register(sender: Sender) -> None:
    global _sender
    _sender = sender


def enqueue(task_name: str, *args: object) -> str:
    """Queue `task_name(*args)` (ids and primitives only); returns the task id."""
    if _sender is None:
        raise RuntimeError("no task sender registered: call econ.worker.ensure_configured()")
    return _sender(task_name, args)
