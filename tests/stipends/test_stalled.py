"""A calculation whose messages were lost is sent again by the periodic sweep
(econ/stipends/stalled.py), and only one that has shown no life for STALL_AFTER; sent
again, it finishes with the lines the one-pass calculation writes, none twice."""

from __future__ import annotations

import datetime as dt

from econ.db import utcnow
from econ.stipends import chunks, engine, stalled
from econ.stipends import services as stipends
from econ.stipends.models import PaymentLine, PaymentRun
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
