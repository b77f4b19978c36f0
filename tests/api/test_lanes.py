"""econ.lanes: no more calls at once than its lanes, each in a worker thread, served in
turn; a password hash gives its lane up; the endpoint's default size per database."""

from __future__ import annotations

import dataclasses
import threading
import time

import anyio
import anyio.to_thread

from econ.config import get_settings
from econ.db import db
from econ.lanes import Lanes, outside_lane
from econ.schema.endpoint import request_threads
from econ.security import passwords


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


def test_the_result_comes_back_and_the_calls_are_served_in_the_order_they_came():
    lanes = Lanes(1)
    assert anyio.run(lanes.run, lambda a, b: a + b, 2, 3) == 5
    order: list[int] = []
    first_in = threading.Event()
    all_queued = threading.Event()

    def first() -> None:
        first_in.set()
        assert all_queued.wait(2)  # the others queue up behind it meanwhile, in turn
        order.append(0)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(lanes.run, first)
            await anyio.to_thread.run_sync(first_in.wait)
            for n in range(1, 8):
                group.start_soon(lanes.run, order.append, n)
                while len(lanes._gate._waiting) < n:  # queued before the next is sent
                    await anyio.sleep(0.001)
            all_queued.set()

    anyio.run(main)
    assert order == list(range(8))


def test_a_call_outside_its_lane_lets_the_next_one_run_and_waits_its_turn_after():
    lanes = Lanes(1)
    events: list[str] = []
    outside = threading.Event()
    second_done = threading.Event()

    def hashing() -> None:
        with outside_lane():
            outside.set()
            assert second_done.wait(2), "the lane stayed held"
            events.append("hash done")
        events.append("back in the lane")

    def other() -> None:
        events.append("other ran")
        second_done.set()

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(lanes.run, hashing)
            await anyio.to_thread.run_sync(outside.wait)
            group.start_soon(lanes.run, other)

    anyio.run(main)
    assert events == ["other ran", "hash done", "back in the lane"]
    assert lanes._gate._free == 1  # every lane given back


def test_inside_a_transaction_the_lane_is_kept():
    lanes = Lanes(1)
    free: list[int] = []

    def in_transaction() -> None:
        with db.connection_context(), db.atomic(), outside_lane():
            free.append(lanes._gate._free)

    anyio.run(lanes.run, in_transaction)
    assert free == [0]  # another request could wait on its locks while it waited for the lane


def test_outside_a_lane_the_block_just_runs():
    with outside_lane():
        pass  # a CLI or a worker: no lane to give up, nothing raised


def test_a_password_hash_and_check_give_the_lane_up(monkeypatch):
    lanes = Lanes(1)
    free_while_hashing: list[int] = []

    class Hasher:
        def hash(self, password: str) -> str:
            free_while_hashing.append(lanes._gate._free)
            return "hash"

        def verify(self, stored: str, password: str) -> bool:
            free_while_hashing.append(lanes._gate._free)
            return True

    monkeypatch.setattr(passwords, "hasher", Hasher)

    def sign_in() -> bool:
        return passwords.hash_password("x") == "hash" and passwords.verify_password("h", "x")

    assert anyio.run(lanes.run, sign_in)
    assert free_while_hashing == [1, 1]  # the one lane was free during both


def test_default_lanes_by_database():
    settings = get_settings()
    assert request_threads(dataclasses.replace(settings, database_url="", request_threads=0)) == 1
    postgres = dataclasses.replace(settings, database_url="postgresql://u@h/db", request_threads=0)
    assert request_threads(postgres) == 4
    assert request_threads(dataclasses.replace(postgres, request_threads=3)) == 3
