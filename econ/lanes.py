"""The worker threads that run requests' database work: GraphQL operations (the API's and
the pages' documents) and the pages' session checks.

A request's work holds the GIL almost all the time, and SQLite's driver lets go of it
around every step of every row. With many threads at once (the thread pool's default
allows 40), each of those hand-overs can wake another thread and put the first one to
sleep. Measured on the 2-core machine at a quiet moment, one caseload request cost 10 ms
of CPU with one client and 24-26 ms with ten at once in 40 threads; in one lane, 11-15 ms
with ten (docs/performance.md, "the views"). A few lanes serve the requests nearly one
after the other; the others wait their turn on the event loop, as they would for the GIL.
PostgreSQL waits on the network with the GIL released, so more lanes overlap those waits.
The price on SQLite: a request that waits for the write lock (another process's long
transaction; a payment run's chunks commit every 500 schedules) holds its lane while it
waits, so two such requests hold every other one; raise ECON_REQUEST_THREADS where long
writes from other processes are common.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.lowlevel
import anyio.to_thread

T = TypeVar("T")


class Lanes:
    """At most `size` of the calls given to `run` at once, each in a worker thread."""

    def __init__(self, size: int):
        self.size = size
        # One limiter per event loop (a test's client runs a loop of its own).
        self._limiter: anyio.lowlevel.RunVar[anyio.CapacityLimiter] = anyio.lowlevel.RunVar(
            f"econ_lanes_{id(self)}"
        )

    def _current(self) -> anyio.CapacityLimiter:
        try:
            return self._limiter.get()
        except LookupError:
            limiter = anyio.CapacityLimiter(self.size)
            self._limiter.set(limiter)
            return limiter

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """`func(*args)` in a worker thread once a lane is free. `func` must not wait for
        another lane (it would wait for itself when all are taken)."""
        call = functools.partial(func, *args)
        return await anyio.to_thread.run_sync(call, limiter=self._current())
