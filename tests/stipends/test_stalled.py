"""A calculation or an export in chunks whose messages were lost is sent again by the
periodic sweep (econ/stipends/stalled.py), and only one that has shown no life for
STALL_AFTER; sent again, it finishes with the lines the one-pass calculation writes, or
each line in one file, none twice."""

from __future__ import annotations

import datetime as dt

from econ.db import is_postgres, utcnow
from econ.stipends import chunks, engine, export_chunks, stalled, tasks
from econ.stipends import services as stipends
from econ.stipends.chunks import WAITING
from econ.stipends.models import PaymentAttempt, PaymentFile, PaymentLine, PaymentRun
from econ.worker import BEAT_SCHEDULE
from tests.stipends.conftest import World

PERIOD = "2026-01"


def _lost_after_one_chunk(world: World, people: int = 5) -> PaymentRun:
    """A run planned in chunks of 2 whose first chunk ran and whose other messages were
    lost (the broker restarted without persistence)."""
    for _ in range(people):
        world.schedule(world.participant(), amount="900.00")
    run = stipends.create_run(world.finance, PERIOD, run_tasks=False)
    assert chunks.plan(run.id, run.generation, 2) == [1, 2, 3]
    assert chunks.run_chunk(run.id, run.generation, 1) == "done"
    return PaymentRun.get_by_id(run.id)


def test_a_run_that_moved_recently_is_left_alone(people):
    _lost_after_one_chunk(World(people))
    assert stalled.stalled_calculations(utcnow()) == []
    soon = utcnow() + stalled.STALL_AFTER - dt.timedelta(seconds=30)
    assert stalled.stalled_calculations(soon) == []


def test_a_stalled_run_is_sent_again_and_finishes_once(people):
    run = _lost_after_one_chunk(World(people))
    later = utcnow() + stalled.STALL_AFTER + dt.timedelta(seconds=1)
    assert stalled.stalled_calculations(later) == [(run.id, run.generation)]

    # What the task does on this database when the message arrives (the in-process path).
    sent = stalled.resume_stalled(later, send=engine.calculate_run)
    assert sent == [run.id]
    after = PaymentRun.get_by_id(run.id)
    assert (after.state, after.job_done, after.job_total) == ("CALCULATED", 5, 5)
    assert PaymentLine.select().where(PaymentLine.run == run.id).count() == 5
    assert stalled.stalled_calculations(later) == []  # no longer CALCULATING

    # A second sweep's duplicate (the message was not lost after all) writes nothing.
    assert engine.calculate_run(run.id, run.generation) == "stale"
    assert PaymentLine.select().where(PaymentLine.run == run.id).count() == 5


def test_an_old_generation_is_never_sent(people):
    world = World(people)
    run = _lost_after_one_chunk(world)
    newer = stipends.recalculate_run(world.finance, run.id, run_tasks=False)
    later = utcnow() + stalled.STALL_AFTER + dt.timedelta(seconds=1)
    assert stalled.stalled_calculations(later) == [(run.id, newer.generation)]


def test_the_sweep_is_on_the_beat_schedule():
    assert "stipends.resume_stalled_calculations" in {e["task"] for e in BEAT_SCHEDULE.values()}


def _export_lost_after_one_chunk(world: World, people: int = 5) -> PaymentRun:
    """A run's export planned in chunks of 2 (as the planner task does, round "task-1")
    whose first chunk ran and whose other messages were lost."""
    for _ in range(people):
        world.schedule(world.participant(), amount="900.00")
    run = world.approve(world.calculate(PERIOD))
    stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)
    round_, pending = export_chunks.plan(run.id, "task-1", 2)
    assert (round_, pending) == ("task-1", [1, 2, 3])
    assert export_chunks.export_chunk(run.id, round_, 1) == WAITING
    return PaymentRun.get_by_id(run.id)


def _as_the_tasks_do(run_id: int) -> None:
    """disburse_payment_run with workers: the planner (a new task id), then each chunk
    it sends, each followed by the finish as the chunk task does (a job DONE: nothing)."""
    planned = export_chunks.plan_export(run_id, "task-2")
    round_, pending = planned or (None, [])
    for number in pending:
        export_chunks.export_chunk(run_id, round_, number)


def test_an_export_that_moved_recently_is_left_alone(people):
    _export_lost_after_one_chunk(World(people))
    soon = utcnow() + stalled.STALL_AFTER - dt.timedelta(seconds=30)
    assert stalled.stalled_exports(utcnow()) == stalled.stalled_exports(soon) == []


def test_a_stalled_export_is_sent_again_and_writes_each_line_once(people):
    run = _export_lost_after_one_chunk(World(people))
    later = utcnow() + stalled.STALL_AFTER + dt.timedelta(seconds=1)
    assert stalled.stalled_exports(later) == [run.id]
    assert stalled.resume_stalled_exports(later, send=_as_the_tasks_do) == [run.id]
    after = PaymentRun.get_by_id(run.id)
    assert (after.job_status, after.job_task_id, after.job_done) == ("DONE", "task-1", 5)
    lines = PaymentLine.select().where(PaymentLine.run == run.id)
    assert sorted(line.status for line in lines) == ["SENT"] * 5
    assert PaymentAttempt.select().count() == 5 and PaymentFile.select().count() == 1
    assert stalled.stalled_exports(later) == []  # the job is DONE
    _as_the_tasks_do(run.id)  # a second sweep's duplicate writes nothing
    assert PaymentAttempt.select().count() == 5 and PaymentFile.select().count() == 1


def test_an_export_queued_whose_planner_message_was_lost_is_sent_again(people):
    world = World(people)
    world.schedule(world.participant(), amount="900.00")
    run = world.approve(world.calculate(PERIOD))
    stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)  # never sent
    later = utcnow() + stalled.STALL_AFTER + dt.timedelta(seconds=1)
    assert stalled.stalled_exports(later) == [run.id]
    stalled.resume_stalled_exports(later, send=_as_the_tasks_do)
    assert PaymentRun.get_by_id(run.id).job_status == "DONE"
    assert PaymentFile.select().count() == 1


def test_the_export_sweep_is_on_the_beat_schedule_and_leaves_the_single_task_alone(people):
    assert "stipends.resume_stalled_exports" in {e["task"] for e in BEAT_SCHEDULE.values()}
    run = _export_lost_after_one_chunk(World(people))
    if not is_postgres():  # here the single task would export: never taken for stalled
        assert tasks.resume_stalled_exports.run() == []
        assert PaymentRun.get_by_id(run.id).job_status == "RUNNING"
