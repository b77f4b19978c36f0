"""Capacity holds under concurrency: the cohort row lock serialises the seat count.

Runs on the configured database: PostgreSQL (`SELECT ... FOR UPDATE`) when
ECON_TEST_DATABASE_URL points at one, as in CI, and SQLite (`BEGIN IMMEDIATE`) otherwise.
"""

from __future__ import annotations

import threading

from econ.db import db
from econ.training import services as training
from econ.training.models import Enrollment


def _in_threads(fn, args_list) -> list:
    barrier = threading.Barrier(len(args_list))
    results: list = [None] * len(args_list)

    def run(index, args):
        with db.connection_context():
            barrier.wait()
            try:
                results[index] = fn(*args)
            except Exception as exc:  # reported by the assertion below
                results[index] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(args_list)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_ten_concurrent_enrolments_into_three_seats(kit):
    cohort = kit.cohort(capacity=3)
    women = [kit.participant(f"P{i}") for i in range(10)]
    results = _in_threads(
        lambda pid: training.enroll_participant(kit.counselor, cohort.id, pid),
        [(w.id,) for w in women],
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    statuses = sorted(e.status for e in Enrollment.select().where(Enrollment.cohort == cohort.id))
    assert statuses == ["ENROLLED"] * 3 + ["WAITLISTED"] * 7
    # and the waitlist order is the order the waiting enrolments were written in
    queue = [e.id for _, e in training.waitlist(kit.counselor, cohort)]
    assert queue == sorted(queue)


def test_concurrent_double_completion_grants_one_award(kit):
    from econ.stipends.models import IncentiveAward

    enrollment = kit.set(kit.enroll(kit.cohort()), "ACTIVE")
    results = _in_threads(
        lambda: kit.complete(enrollment),
        [(), (), ()],
    )
    codes = sorted(getattr(r, "code", "ok") for r in results)
    assert codes == ["ALREADY_COMPLETED", "ALREADY_COMPLETED", "ok"]
    assert IncentiveAward.select().count() == 1
