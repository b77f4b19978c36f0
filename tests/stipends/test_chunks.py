"""A run's calculation in chunk tasks (econ/stipends/chunks.py): each chunk writes once,
in any order, and the run equals the one-pass calculation; a recalculation makes the
old generation's chunks write nothing. Runs on SQLite and on PostgreSQL (the session
database); the real workers are in test_workers.py."""

from __future__ import annotations

import random
import threading
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econ.db import db, is_postgres, write_transaction
from econ.stipends import chunks, run_locks
from econ.stipends import services as stipends
from econ.stipends.awards import IncentiveAward
from econ.stipends.models import Adjustment, PaymentLine, PaymentRun, PaymentRunChunk
from tests.conftest import truncate_all
from tests.stipends.conftest import World

PERIOD = "2026-01"


def _enrol(world: World, spec: dict) -> None:
    p = world.participant(**({"bank_account": None} if spec["method"] == "NO_ACCOUNT" else {}))
    world.schedule(p, amount=f"{spec['amount']:.2f}")
    if spec["income"] is not None:
        world.income(p, "2025-12", f"{spec['income']:.2f}")
    if spec["award"]:
        world.award(p, "40.00")
    if spec["adjustment"]:
        adj = stipends.create_adjustment(
            world.finance, p.id, period=PERIOD, amount=spec["adjustment"], reason="chunks"
        )
        stipends.approve_adjustment(world.finance2, adj.id)
    if spec["method"] in ("CASH", "PREPAID_CARD"):
        stipends.set_payment_method(world.finance, p.id, spec["method"], "CARD-1")


def _snapshot(run_id: int) -> tuple:
    """Everything a calculation decides, without the ids a new generation changes."""
    line_schedule = dict(
        PaymentLine.select(PaymentLine.id, PaymentLine.schedule)
        .where(PaymentLine.run == run_id)
        .tuples()
    )
    lines = sorted(
        (
            line.schedule_id,
            str(line.base),
            str(line.taper),
            str(line.incentives),
            str(line.adjustments),
            str(line.net),
            str(line.remainder),
            line.status,
            line.exception or "",
            line.method,
            line.uses_duration,
        )
        for line in PaymentLine.select().where(PaymentLine.run == run_id)
    )
    claims = sorted(
        (model.__name__, item.id, line_schedule[item.paid_line_id])
        for model in (IncentiveAward, Adjustment)
        for item in model.select().where(model.paid_line_id.is_null(False))
    )
    run = PaymentRun.get_by_id(run_id)
    return lines, claims, run.exceptions, (run.state, run.job_status, run.job_done, run.job_total)


def _in_chunks(run_id: int, size: int, order: random.Random | None = None) -> list[str]:
    run = PaymentRun.get_by_id(run_id)
    pending = chunks.plan(run_id, run.generation, size)
    if order is not None:
        order.shuffle(pending)
    outcomes = [chunks.run_chunk(run_id, run.generation, n) for n in pending]
    outcomes.append(chunks.finish(run_id, run.generation))
    return outcomes


def _world(people, count: int) -> World:
    world = World(people)
    for i in range(count):
        _enrol(
            world,
            {
                "amount": Decimal("900.00"),
                "income": Decimal(120 * i) if i % 3 else None,
                "award": i % 2 == 0,
                "adjustment": "25.00" if i % 4 == 1 else None,
                "method": ("BANK_TRANSFER", "CASH", "NO_ACCOUNT", "PREPAID_CARD")[i % 4],
            },
        )
    return world


def test_a_chunk_run_twice_writes_nothing_the_second_time(people):
    world = _world(people, 5)
    run = stipends.create_run(world.finance, PERIOD, run_tasks=False)
    assert chunks.plan(run.id, run.generation, 2) == [1, 2, 3]
    assert chunks.plan(run.id, run.generation, 2) == [1, 2, 3]  # a second planner: same rows
    assert chunks.run_chunk(run.id, run.generation, 1) == "done"
    before = _snapshot(run.id)
    assert chunks.run_chunk(run.id, run.generation, 1) == chunks.ALREADY
    assert _snapshot(run.id) == before  # no line, claim or progress written again
    assert PaymentLine.select().count() == 2 and before[3][2] == 2
    assert chunks.finish(run.id, run.generation) == chunks.WAITING  # two chunks to go
    assert chunks.plan(run.id, run.generation, 2) == [2, 3]
    for number in (3, 2):
        assert chunks.run_chunk(run.id, run.generation, number) == "done"
    assert chunks.finish(run.id, run.generation) == "done"
    assert chunks.finish(run.id, run.generation) == "stale"  # finished once
    after = PaymentRun.get_by_id(run.id)
    assert (after.state, after.job_status, after.job_done, after.job_total) == (
        "CALCULATED",
        "DONE",
        5,
        5,
    )
    done = list(PaymentRunChunk.select().where(PaymentRunChunk.run == run.id))
    assert [c.state for c in done] == ["DONE"] * 3
    assert sum(c.line_count for c in done) == PaymentLine.select().count() == 5
    assert sum((c.net for c in done), Decimal(0)) == stipends.run_totals(run.id).net


def test_chunks_in_any_order_equal_the_single_task(people):
    world = _world(people, 9)
    run = world.calculate(PERIOD, chunk=10_000)
    single = _snapshot(run.id)
    for size, seed in ((1, 1), (2, 7), (4, 3)):
        run = stipends.recalculate_run(world.finance, run.id, run_tasks=False)
        outcomes = _in_chunks(run.id, size, random.Random(seed))
        assert outcomes[-1] == "done" and set(outcomes[:-1]) == {"done"}
        assert _snapshot(run.id) == single


def test_the_old_generations_chunks_write_nothing_after_a_recalculation(people):
    world = _world(people, 6)
    run = stipends.create_run(world.finance, PERIOD, run_tasks=False)
    old = run.generation
    assert chunks.plan(run.id, old, 2) == [1, 2, 3]
    assert chunks.run_chunk(run.id, old, 1) == "done"
    run = stipends.recalculate_run(world.finance, run.id, run_tasks=False)
    assert PaymentLine.select().count() == 0  # released with their claims
    assert IncentiveAward.select().where(IncentiveAward.paid_line_id.is_null(False)).count() == 0
    assert [chunks.run_chunk(run.id, old, n) for n in (2, 3)] == ["stale", "stale"]
    assert chunks.finish(run.id, old) == "stale"
    assert PaymentLine.select().count() == 0
    assert set(_in_chunks(run.id, 4)) == {"done"}
    assert PaymentLine.select().count() == 6
    rows = PaymentRunChunk.select().where(PaymentRunChunk.run == run.id)
    assert {c.generation for c in rows} == {run.generation}


def test_a_failing_chunk_fails_the_run_and_the_rest_write_nothing(people, monkeypatch):
    from econ.stipends import engine, lines

    world = _world(people, 4)
    run = stipends.create_run(world.finance, PERIOD, run_tasks=False)
    assert chunks.plan(run.id, run.generation, 2) == [1, 2]
    monkeypatch.setattr(lines, "line_for", lambda *a: 1 / 0)
    assert engine.calculate_chunk(run.id, run.generation, 1) == "failed"
    monkeypatch.undo()
    failed = PaymentRun.get_by_id(run.id)
    assert (failed.state, failed.job_status) == ("DRAFT", "FAILED")
    assert "ZeroDivisionError" in failed.job_error
    assert engine.calculate_chunk(run.id, run.generation, 2) == "stale"
    assert PaymentLine.select().count() == 0


person = st.fixed_dictionaries(
    {
        "amount": st.integers(min_value=1, max_value=150_000).map(lambda c: Decimal(c) / 100),
        "income": st.none() | st.integers(0, 300_000).map(lambda c: Decimal(c) / 100),
        "award": st.booleans(),
        "adjustment": st.none() | st.sampled_from(["-950.00", "-20.00", "35.50"]),
        "method": st.sampled_from(["BANK_TRANSFER", "NO_ACCOUNT", "CASH", "PREPAID_CARD"]),
    }
)


@pytest.mark.timeout(900)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(person, min_size=1, max_size=7), st.integers(1, 4), st.randoms())
def test_property_chunked_totals_equal_the_single_task(people, setup, size, order):
    truncate_all()
    world = World(people)
    for spec in setup:
        _enrol(world, spec)
    run = world.calculate(PERIOD, chunk=10_000)
    single, totals = _snapshot(run.id), stipends.run_totals(run.id)
    run = stipends.recalculate_run(world.finance, run.id, run_tasks=False)
    assert _in_chunks(run.id, size, order)[-1] == "done"
    assert _snapshot(run.id) == single
    assert stipends.run_totals(run.id) == totals


def test_a_recalculation_waits_for_a_chunk_in_flight(people):
    """PostgreSQL: a chunk holding the run's lock shared keeps a recalculation waiting
    until it commits (never interleaved); then the chunk's lines are released with the
    old generation."""
    if not is_postgres():
        pytest.skip("the shared lock is PostgreSQL's; SQLite runs chunks one at a time")
    world = _world(people, 4)
    run = stipends.create_run(world.finance, PERIOD, run_tasks=False)
    assert chunks.plan(run.id, run.generation, 2) == [1, 2]
    holding, release = threading.Event(), threading.Event()
    order: list[str] = []

    def chunk_in_flight():
        with db.connection_context(), write_transaction():
            run_locks.shared(run.id)
            holding.set()
            release.wait(30)
            order.append("chunk committed")

    def recalculate():
        with db.connection_context():
            stipends.recalculate_run(world.finance, run.id, run_tasks=False)
            order.append("recalculated")

    first = threading.Thread(target=chunk_in_flight)
    first.start()
    assert holding.wait(30)
    second = threading.Thread(target=recalculate)
    second.start()
    _wait_for_advisory_waiter()
    assert order == []  # the recalculation is waiting for the chunk's shared lock
    release.set()
    first.join(30)
    second.join(30)
    assert order == ["chunk committed", "recalculated"]
    assert PaymentRun.get_by_id(run.id).generation == run.generation + 1


def _wait_for_advisory_waiter() -> None:
    """Until a session waits for an advisory lock (the recalculation, on our run)."""
    for _ in range(600):
        (waiting,) = db.execute_sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = %s",
            (run_locks.RUN_LOCK,),
        ).fetchone()
        if waiting:
            return
        threading.Event().wait(0.05)
    raise AssertionError("the recalculation never waited for the lock")
