"""Faults with real PostgreSQL, Redis and Celery worker processes.

One payment run's whole life with a worker SIGKILLed in each background phase
(calculation, disbursement, statements), and Redis stopped and restarted during a run.
After each restart, everything is done exactly once: one line per schedule, one transfer
and one journal entry per line, one statement version per line, a balanced journal.
Skipped without PostgreSQL/Redis on a developer machine; required in CI.
"""

from __future__ import annotations

import json
import sys
import time

import peewee as pw
import pytest
import redis as redis_client

from econ import dispatch
from econ.ledger.models import JournalEntry
from econ.ledger.services import unbalanced_entries
from econ.statements import storage
from econ.statements.models import Statement, StatementGeneration
from econ.stipends import services as stipends
from econ.stipends.models import PaymentAttempt, PaymentLine, PaymentRun
from tests.security.world import ALL_NEEDLES, CANARY, found
from tests.stipends.conftest import World, attempts_of
from tests.support.cluster import Cluster, OwnRedis, own_redis_db, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
PERIOD = "2026-01"
SUITE = "hardening"  # database econ_hardening, schema and queue of this session
REDIS_DB = 9  # this suite's own database on the machine's Redis


@pytest.fixture(autouse=True)
def no_in_process_tasks(monkeypatch):
    """Only the worker processes under test run tasks (the session's in-process worker,
    if any, must not pick up what this process enqueues)."""
    monkeypatch.setattr(dispatch, "_sender", lambda name, args: "not-sent")


def _populate(people, count: int) -> World:
    world = World(people)
    world.schedule(world.participant(**CANARY))
    for i in range(count - 1):
        world.schedule(world.participant(legal_name=f"Fault Test{i}"))
    return world


def _run(run_id: int) -> PaymentRun:
    return PaymentRun.get_by_id(run_id)


def _lines_per_schedule(run_id: int) -> list[int]:
    query = (
        PaymentLine.select(pw.fn.COUNT(PaymentLine.id))
        .where(PaymentLine.run == run_id)
        .group_by(PaymentLine.schedule)
        .tuples()
    )
    return [n for (n,) in query]


def _statements_written() -> int:
    return Statement.select().where((Statement.period == PERIOD) & (Statement.version > 0)).count()


def _redis_contents(url: str) -> str:
    """Every key and value in the broker's database: messages, unacked, results."""
    client = redis_client.Redis.from_url(url)
    parts = []
    for key in client.scan_iter(count=500):
        kind = client.type(key).decode()
        value = {
            "string": lambda k: client.get(k),
            "list": lambda k: client.lrange(k, 0, -1),
            "hash": lambda k: client.hgetall(k),
            "set": lambda k: client.smembers(k),
            "zset": lambda k: client.zrange(k, 0, -1),
        }.get(kind, lambda k: b"")(key)
        parts.append(f"{key!r} {value!r}")
    client.close()
    return "\n".join(parts)


def test_sigkill_in_every_phase_of_a_run_then_exactly_once(postgres_url, redis_url, people):
    broker = own_redis_db(redis_url, REDIS_DB)
    redis_client.Redis.from_url(broker).flushdb()
    with Cluster(postgres_url, broker, SUITE) as cluster:
        world = _populate(people, 40)
        faults = 0
        # 1. calculation
        victim = cluster.start_worker("calc", ECON_PAYMENT_CHUNK_SIZE="1")
        cluster.wait_ready(1)
        run = stipends.create_run(world.finance, PERIOD, run_tasks=False)
        cluster.send("stipends.calculate_payment_run", run.id, run.generation)
        wait_for(lambda: _run(run.id).job_done >= 5, "calculation progress")
        cluster.kill(victim)
        faults += 1
        assert 0 < len(_lines_per_schedule(run.id)) < 40  # killed half-way
        worker = cluster.start_worker("calc-again", ECON_PAYMENT_CHUNK_SIZE="1")
        cluster.send("stipends.calculate_payment_run", run.id, run.generation)  # redelivery
        wait_for(lambda: _run(run.id).state == "CALCULATED", "calculation after restart")
        assert _lines_per_schedule(run.id) == [1] * 40

        # 2. disbursement
        world.approve(_run(run.id))
        stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)
        cluster.send("stipends.disburse_payment_run", run.id)
        wait_for(lambda: _run(run.id).job_status in ("RUNNING", "DONE"), "export started")
        cluster.kill(worker)
        faults += 1
        worker = cluster.start_worker("export-again")
        cluster.send("stipends.disburse_payment_run", run.id)
        wait_for(lambda: _run(run.id).job_status == "DONE", "export after restart")
        references = [a.reference for a in PaymentAttempt.select()]
        assert len(references) == len(set(references)) == 40
        sends = JournalEntry.select().where(JournalEntry.key.endswith(":send")).count()
        assert sends == 40

        # 3. reconciliation (inline), then the run's statements on the worker
        rows = [f"{a.reference},ACSC,{a.amount:.2f}," for a in attempts_of(_run(run.id))]
        stipends.import_results(world.finance, run.id, "reference,status,amount,reason\n"
                                + "\n".join(rows) + "\n")  # fmt: skip
        assert _run(run.id).state == "COMPLETED"
        cluster.send("statements.generate_run_statements", run.id)
        wait_for(lambda: _statements_written() >= 5, "statements progress", pause=0.01)
        cluster.kill(worker)
        faults += 1
        assert _statements_written() < 40
        cluster.start_worker("statements-again")
        cluster.send("statements.generate_run_statements", run.id)
        wait_for(lambda: _statements_written() == 40, "statements after restart")
        time.sleep(0.5)  # a late duplicate would show as a second version (bounded look)
        statements = list(Statement.select().where(Statement.period == PERIOD))
        assert sorted({s.version for s in statements}) == [1]
        assert StatementGeneration.select().count() == 40
        for statement in statements:  # no torn file: every stored PDF matches its checksum
            assert storage.sha256(storage.read(statement.path)) == statement.sha256

        assert unbalanced_entries() == []
        assert faults == 3
        # The broker saw ids only: no canary value in any message, unacked entry or result.
        assert found(_redis_contents(broker), ALL_NEEDLES) == []
        assert found(cluster.worker_logs(), ALL_NEEDLES) == []


class _Stillness:
    """True once the run's progress has not moved for 40 polls in a row (2 s at the
    poll's pace): the worker is waiting for its broker."""

    def __init__(self, run_id: int):
        self.run_id, self.last, self.same = run_id, None, 0

    def __call__(self) -> bool:
        done = _run(self.run_id).job_done
        self.same = self.same + 1 if done == self.last else 0
        self.last = done
        return self.same >= 40


def test_redis_stopped_mid_run_and_started_again(postgres_url, people):
    own = OwnRedis()
    own.start()
    try:
        with Cluster(postgres_url, own.url, SUITE) as cluster:
            world = _populate(people, 30)
            worker = cluster.start_worker("w", ECON_PAYMENT_CHUNK_SIZE="1")
            cluster.wait_ready(1)
            run = stipends.create_run(world.finance, PERIOD, run_tasks=False)
            cluster.send("stipends.calculate_payment_run", run.id, run.generation)
            wait_for(lambda: _run(run.id).job_done >= 3, "calculation progress")
            own.stop()  # mid-run: no broker, no result backend, no persistence
            # A run fanned out in chunk tasks stalls with its broker (the chunks left are
            # messages in Redis); the chunk in flight commits or rolls back.
            still = _Stillness(run.id)
            wait_for(lambda: _run(run.id).state == "CALCULATED" or worker.poll() is not None
                     or still(), "the worker to finish, fall or stall")  # fmt: skip
            stalled = _run(run.id)
            own.start()
            # The message may be lost with the broker (no persistence): the operator (or a
            # retry) sends it again, and the run resumes where it stood.
            if worker.poll() is not None:
                cluster.start_worker("w-again", ECON_PAYMENT_CHUNK_SIZE="1")
            cluster.send("stipends.calculate_payment_run", run.id, run.generation)
            wait_for(lambda: _run(run.id).state == "CALCULATED", "calculation after Redis")
            assert _lines_per_schedule(run.id) == [1] * 30
            assert _run(run.id).job_done == 30
            print(f"\nredis stop: the run stood at {stalled.state} {stalled.job_done}/30")
    finally:
        own.stop()


def test_results_in_redis_carry_ids_only(postgres_url, redis_url, people):
    """A task's stored result (the result backend is the broker) is a count or an id."""
    broker = own_redis_db(redis_url, REDIS_DB)
    client = redis_client.Redis.from_url(broker)
    client.flushdb()
    with Cluster(postgres_url, broker, SUITE) as cluster:
        world = _populate(people, 3)
        cluster.start_worker("r")
        cluster.wait_ready(1)
        run = stipends.create_run(world.finance, PERIOD, run_tasks=False)
        cluster.send("stipends.calculate_payment_run", run.id, run.generation)
        wait_for(lambda: _run(run.id).state == "CALCULATED", "calculation")
        wait_for(lambda: list(client.scan_iter("celery-task-meta-*")), "a stored result")
        results = [json.loads(client.get(k)) for k in client.scan_iter("celery-task-meta-*")]
        assert results and all(isinstance(r["result"], (int, str, type(None))) for r in results)
        assert found(_redis_contents(broker), ALL_NEEDLES) == []
