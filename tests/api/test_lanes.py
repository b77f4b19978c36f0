"""econ.lanes: no more calls at once than its lanes, each in a worker thread, and the
endpoint's default size per database."""

from __future__ import annotations

import dataclasses
import threading
import time

import anyio

from econ.config import get_settings
from econ.lanes import Lanes
from econ.schema.endpoint import request_threads


def _peak(size: int, calls: int) -> tuple[int, set[int]]:
    lanes = Lanes(size)
    lock = threading.Lock()
    running = peak = 0
    threads: set[int] = set()

    def work() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            threads.add(threading.get_ident())
        time.sleep(0.02)
        with lock:
            running -= 1

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(calls):
                group.start_soon(lanes.run, work)

    anyio.run(main)
    return peak, threads


def test_at_most_size_calls_run_at_once_off_the_event_loop():
    for size in (1, 2):
        peak, threads = _peak(size, 6)
        assert peak == size
        assert threading.get_ident() not in threads


def test_a_lane_per_event_loop_and_the_result_comes_back():
    lanes = Lanes(1)
    assert anyio.run(lanes.run, lambda a, b: a + b, 2, 3) == 5

    async def limiter_of_this_loop():
        return lanes._current(), lanes._current()

    first, same = anyio.run(limiter_of_this_loop)
    second, _ = anyio.run(limiter_of_this_loop)
    assert first is same and second is not first  # one per loop, kept within it
    assert second.total_tokens == 1


def test_default_lanes_by_database():
    settings = get_settings()
    assert request_threads(dataclasses.replace(settings, database_url="", request_threads=0)) == 2
    postgres = dataclasses.replace(settings, database_url="postgresql://u@h/db", request_threads=0)
    assert request_threads(postgres) == 40
    assert request_threads(dataclasses.replace(postgres, request_threads=3)) == 3
