"""The current request's id and user id, for log lines (never personal data).

The HTTP middleware starts a trace per request; code that learns who is calling
(`note_user`) fills in the user id, even from the worker thread that runs a GraphQL
operation (the trace is one shared mutable record, which contextvars copy by reference).
A logging filter stamps every record with both.
"""

from __future__ import annotations

import logging
import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Trace:
    request_id: str
    user_id: int | None = None


_current: ContextVar[Trace | None] = ContextVar("econ_trace", default=None)


def begin(request_id: str | None = None) -> Trace:
    trace = Trace(request_id or uuid.uuid4().hex[:16])
    _current.set(trace)
    return trace


def current() -> Trace | None:
    return _current.get()


def note_user(user_id: int | None) -> None:
    trace = _current.get()
    if trace is not None and user_id is not None:
        trace.user_id = user_id


class TraceFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        trace = _current.get()
        record.request_id = trace.request_id if trace else None
        record.user_id = trace.user_id if trace else None
        return True
