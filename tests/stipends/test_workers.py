"""Real Celery worker processes on PostgreSQL + Redis: duplicates, races and SIGKILL.

Each test binds this process to its own PostgreSQL schema (so the session database is
untouched) and starts `celery -A econ.worker worker --pool solo` subprocesses on a Redis
database of its own. Messages are sent by name from a separate producer, exactly as the
service would enqueue them. Skipped without PostgreSQL/Redis locally, failing in CI.
"""

from __future__ import annotations

import sys
import time

import peewee as pw
import pytest

from econ.db import db
from econ.ledger.models import JournalEntry
from econ.ledger.services import unbalanced_entries
from econ.stipends import services as stipends
from econ.stipends.models import (
    IncentiveAward,
    PaymentAttempt,
    PaymentFile,
    PaymentLine,
    PaymentRun,
    PaymentRunChunk,
)
from tests.stipends.conftest import World
from tests.support.cluster import Cluster, own_redis_db, wait_for

REDIS_DB = 7  # this suite's own Redis database


@pytest.fixture
def cluster(postgres_url, redis_url, people):
    """This process on a fresh schema of its own database, a Redis producer, and a way
    to start workers (tests/support/cluster.py)."""
    with Cluster(postgres_url, own_redis_db(redis_url, REDIS_DB), "stipends_workers") as cluster:
        yield cluster


def _chunks(size: int) -> dict[str, str]:
    return {"ECON_PAYMENT_CHUNK_SIZE": str(size)}


def _run(run_id: int) -> PaymentRun:
    return PaymentRun.get_by_id(run_id)


def _populate(people, count: int) -> World:
    world = World(people)
    for i in range(count):
        p = world.participant(legal_name=f"Worker Test{i}")
        world.schedule(p)
        if i % 5 == 0:
            award, _ = stipends.grant_award(p.id, "TRAINING_COMPLETED", "enrollment", i)
            stipends.approve_award(world.finance2, award.id)
        if i % 7 == 0:
            stipends.set_payment_method(world.finance, p.id, "CASH")
    return world


def _snapshot(run_id: int):
    lines = sorted(
        (line.schedule_id, line.period, str(line.net), line.status)
        for line in PaymentLine.select().where(PaymentLine.run == run_id)
    )
    attempts = sorted(a.reference for a in PaymentAttempt.select())
    entries = sorted(e.key for e in JournalEntry.select())
    files = sorted((f.method, f.batch, f.sha256) for f in PaymentFile.select())
    return lines, attempts, entries, files


def _assert_once_per_schedule(run_id: int, schedules: int) -> None:
    per_schedule = (
        PaymentLine.select(PaymentLine.schedule, pw.fn.COUNT(PaymentLine.id).alias("n"))
        .where(PaymentLine.run == run_id)
        .group_by(PaymentLine.schedule)
        .tuples()
    )
    counts = [n for _, n in per_schedule]
    assert len(counts) == schedules and set(counts) == {1}
    claimed = IncentiveAward.select().where(IncentiveAward.paid_line_id.is_null(False)).count()
    assert claimed == IncentiveAward.select().count()


def test_two_workers_run_the_same_tasks_at_once(cluster, people):
    world = _populate(people, 40)
    cluster.start_worker("w1", **_chunks(3))
    cluster.start_worker("w2", **_chunks(3))
    cluster.wait_ready(2)
    run = stipends.create_run(world.finance, "2026-01", run_tasks=False)
    for _ in range(2):  # a duplicate delivery, taken by the other worker at the same time
        cluster.send("stipends.calculate_payment_run", run.id, run.generation)
    wait_for(lambda: _run(run.id).state == "CALCULATED", "calculation")
    _assert_once_per_schedule(run.id, 40)
    calculated = _snapshot(run.id)

    world.approve(_run(run.id))
    run = stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)
    for _ in range(2):
        cluster.send("stipends.disburse_payment_run", run.id)
    wait_for(lambda: _run(run.id).job_status == "DONE", "disbursement")
    # a third copy of each task afterwards changes nothing
    cluster.send("stipends.calculate_payment_run", run.id, run.generation)
    cluster.send("stipends.disburse_payment_run", run.id)
    lines, attempts, entries, files = _settled(run.id)
    assert sorted((s, p, n) for s, p, n, _ in lines) == sorted(
        (s, p, n) for s, p, n, _ in calculated[0]
    )
    assert len(attempts) == 40 and len(set(attempts)) == 40
    assert len([f for f in files if f[0] == "BANK_TRANSFER"]) == 1
    assert len([k for k in entries if k.endswith(":send")]) == 40
    assert unbalanced_entries() == []


def _settled(run_id: int):
    """Wait until two consecutive snapshots agree (the late duplicates have run)."""
    previous = None
    for _ in range(40):
        current = _snapshot(run_id)
        if current == previous and _run(run_id).job_status == "DONE":
            return current
        previous = current
        time.sleep(0.25)
    raise AssertionError("the run kept changing")


def test_worker_killed_mid_calculation_then_restarted(cluster, people):
    world = _populate(people, 60)
    first = cluster.start_worker("victim", **_chunks(1))
    cluster.wait_ready(1)
    run = stipends.create_run(world.finance, "2026-01", run_tasks=False)
    cluster.send("stipends.calculate_payment_run", run.id, run.generation)
    wait_for(lambda: _run(run.id).job_done >= 5, "some progress")
    cluster.kill(first)
    stuck = _run(run.id)
    assert stuck.state == "CALCULATING" and stuck.job_status == "RUNNING"
    partial = PaymentLine.select().where(PaymentLine.run == run.id).count()
    assert 0 < partial < 60
    # Redis redelivers an unacknowledged message after its visibility timeout; sending the
    # same message again stands for that redelivery.
    cluster.start_worker("restarted", **_chunks(1))
    cluster.send("stipends.calculate_payment_run", run.id, run.generation)
    wait_for(lambda: _run(run.id).state == "CALCULATED", "calculation after restart")
    _assert_once_per_schedule(run.id, 60)
    assert _run(run.id).job_done == 60
    assert sum(c.schedules for c in _chunk_rows(run.id)) == 60  # each chunk counted once


def test_worker_killed_during_disbursement_then_restarted(cluster, people):
    world = _populate(people, 30)
    run = world.approve(world.calculate("2026-01"))
    first = cluster.start_worker("victim")
    cluster.wait_ready(1)
    run = stipends.disburse_run(world.finance, run.id, "CSV", run_tasks=False)
    cluster.send("stipends.disburse_payment_run", run.id)
    wait_for(lambda: _run(run.id).job_status in ("RUNNING", "DONE"), "the export to start")
    cluster.kill(first)
    cluster.start_worker("restarted")
    cluster.send("stipends.disburse_payment_run", run.id)
    wait_for(lambda: _run(run.id).job_status == "DONE", "disbursement after restart")
    _, attempts, entries, files = _settled(run.id)
    payable = PaymentLine.select().where(PaymentLine.run == run.id).count()
    assert len(attempts) == payable == 30
    assert sorted(f[0] for f in files) == ["BANK_TRANSFER", "CASH"]
    assert len([k for k in entries if k.endswith(":send")]) == 30
    assert len([k for k in entries if k.endswith(":approve")]) == 1
    assert PaymentLine.select().where(PaymentLine.status != "SENT").count() == 0
    assert unbalanced_entries() == []


def _chunk_rows(run_id: int) -> list[PaymentRunChunk]:
    return list(PaymentRunChunk.select().where(PaymentRunChunk.run == run_id))


def _pending_chunks(run_id: int) -> int:
    return len([c for c in _chunk_rows(run_id) if c.state == "PENDING"])


def test_one_run_shared_by_two_workers_one_killed_mid_chunk(cluster, people):
    """The planner fans the run out in chunk tasks: with one of two workers killed, the
    other takes every chunk left in the queue on its own (no new message); the killed
    worker's chunk, rolled back, is done again once its message comes back."""
    world = _populate(people, 60)
    victim = cluster.start_worker("c1", **_chunks(2))
    cluster.start_worker("c2", **_chunks(2))
    cluster.wait_ready(2)
    run = stipends.create_run(world.finance, "2026-01", run_tasks=False)
    cluster.send("stipends.calculate_payment_run", run.id, run.generation)
    wait_for(lambda: _run(run.id).job_done >= 10, "some progress")
    cluster.kill(victim)
    wait_for(lambda: _pending_chunks(run.id) <= 1, "the other worker to take the rest")
    assert len(_chunk_rows(run.id)) == 30
    # The lost message's redelivery (Redis does it after the visibility timeout):
    cluster.send("stipends.calculate_payment_run", run.id, run.generation)
    wait_for(lambda: _run(run.id).state == "CALCULATED", "calculation")
    _assert_once_per_schedule(run.id, 60)
    rows = _chunk_rows(run.id)
    assert {c.state for c in rows} == {"DONE"}
    assert sum(c.schedules for c in rows) == 60 == _run(run.id).job_done
    assert sum(c.line_count for c in rows) == PaymentLine.select().count()


def test_recalculation_while_chunks_are_in_flight_on_two_workers(cluster, people):
    world = _populate(people, 60)
    for name in ("r1", "r2"):
        cluster.start_worker(name, **_chunks(1))
    cluster.wait_ready(2)
    run = stipends.create_run(world.finance, "2026-01", run_tasks=False)
    cluster.send("stipends.calculate_payment_run", run.id, run.generation)
    wait_for(lambda: _run(run.id).job_done >= 5, "some progress")
    # waits for the chunks in flight (their shared lock), then bumps the generation
    again = stipends.recalculate_run(world.finance, run.id, run_tasks=False)
    assert again.generation == run.generation + 1
    cluster.send("stipends.calculate_payment_run", run.id, again.generation)
    wait_for(lambda: _run(run.id).state == "CALCULATED", "the new generation")
    # late chunks of the old generation (still queued) wrote nothing
    wait_for(lambda: _pending_chunks(run.id) == 0, "the queue to drain")
    _assert_once_per_schedule(run.id, 60)
    rows = _chunk_rows(run.id)
    assert {c.generation for c in rows} == {again.generation}
    assert sum(c.line_count for c in rows) == PaymentLine.select().count()
    assert _run(run.id).job_done == 60


def test_concurrent_approvals_on_postgres_exactly_one_succeeds(cluster, people):
    import threading

    world = _populate(people, 3)
    run = world.calculate("2026-01")
    approvers = [people.finance()[1] for _ in range(6)]
    barrier = threading.Barrier(len(approvers))
    total = stipends.payable_total(run).total
    outcomes: list[str] = []

    def approve(actor):
        barrier.wait()
        try:
            with db.connection_context():
                stipends.approve_run(actor, run.id, run.version, total)
            outcomes.append("ok")
        except Exception as exc:  # record every outcome, expected or not
            outcomes.append(getattr(exc, "code", type(exc).__name__))

    threads = [threading.Thread(target=approve, args=(a,)) for a in approvers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["CONFLICT"] * 5 + ["ok"]
    assert JournalEntry.select().where(JournalEntry.key == f"run:{run.id}:approve").count() == 1


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX signals")
