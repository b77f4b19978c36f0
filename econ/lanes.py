"""The lanes that requests' database work runs in: GraphQL operations (the API's and the
pages' documents) and the pages' session checks.

A request's work holds the GIL almost all the time, and SQLite's driver lets go of it
around every step of every row. With many threads at once (the thread pool's default
allows 40), each of those hand-overs can wake another thread and put the first one to
sleep. Measured on the 2-core machine at a quiet moment, one caseload request cost 10 ms
of CPU with one client and 24-26 ms with ten at once in 40 threads; in one lane, 11-15 ms
with ten (docs/performance.md, "the views"). A few lanes serve the requests one after the
other; the others wait their turn, blocked, as they would for the GIL. PostgreSQL waits
on the network with the GIL released, so more lanes overlap those waits.

A call that waits on something other than this process's Python gives its lane up
meanwhile (`outside_lane`): a password's argon2 hash (100 ms or more, in C with the GIL
released) would otherwise hold every other request on one lane. The price that stays: a
request that waits for SQLite's write lock (another process's long transaction; a payment
run's chunks commit every 500 schedules) holds its lane while it waits; raise
ECON_REQUEST_THREADS where long writes from other processes are common.
"""

from __future__ import annotations

import functools
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import anyio.to_thread

from econ.db import db

T = TypeVar("T")

_held = threading.local()  # .lanes: the Lanes whose lane this thread holds, if any


def _in_transaction() -> bool:
    return db.obj is not None and not db.is_closed() and db.in_transaction()


class _Gate:
    """A counting semaphore that hands a freed lane to the longest waiter directly, so a
    thread arriving later cannot take it first (threading.Semaphore lets it)."""

    def __init__(self, size: int):
        self._lock = threading.Lock()
        self._free = size
        self._waiting: deque[threading.Lock] = deque()

    def acquire(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by the release() that hands this thread the lane

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1


class Lanes:
    """At most `size` of the calls given to `run` at once, each in a worker thread, served
    in the order they came."""

    def __init__(self, size: int):
        self.size = size
        self._gate = _Gate(size)

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """`func(*args)` in a worker thread once a lane is free. `func` must not wait for
        another lane (it would wait for itself when all are taken)."""
        return await anyio.to_thread.run_sync(functools.partial(self._in_lane, func, *args))

    def _in_lane(self, func: Callable[..., T], *args: Any) -> T:
        self._gate.acquire()
        _held.lanes = self
        try:
            return func(*args)
        finally:
            _held.lanes = None
            self._gate.release()


@contextmanager
def outside_lane() -> Iterator[None]:
    """Give this thread's lane to the next request while the block runs (work that leaves
    the GIL free for others), and take a lane again, in turn, after it.

    Not inside a transaction: the lane is kept there. A transaction may hold SQLite's
    write lock or PostgreSQL row locks, and the request given the lane could wait for
    them while this thread waits for the lane (until SQLite's busy timeout; on
    PostgreSQL for good)."""
    lanes: Lanes | None = getattr(_held, "lanes", None)
    if lanes is None or _in_transaction():  # no lane (a CLI, a worker, a test), or kept
        yield
        return
    _held.lanes = None
    lanes._gate.release()
    try:
        yield
    finally:
        lanes._gate.acquire()
        _held.lanes = lanes
