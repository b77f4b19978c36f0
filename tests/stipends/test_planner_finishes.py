"""A planner sent again after the last chunk's worker died between committing its chunk
and finishing (the run's totals, or the export's files): no chunk is left to finish, so
the planner finishes it itself. Found by the real-worker test of a killed disbursement
(test_workers.py) on a quiet machine, where the kill fell in that gap every time."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from econ.stipends import chunks, export_chunks, tasks
from econ.stipends import services as stipends
from econ.stipends.models import PaymentFile, PaymentRun
from tests.stipends.conftest import World


@pytest.fixture
def as_if_workers(monkeypatch):
    """The tasks' PostgreSQL-and-broker path (chunk tasks), whatever the test database;
    the messages a planner would send are kept instead."""
    sent: list[tuple] = []
    monkeypatch.setattr(tasks, "is_postgres", lambda: True)
    monkeypatch.setattr(tasks, "get_settings", lambda: SimpleNamespace(broker_url="memory://"))
    monkeypatch.setattr(tasks.app, "send_task", lambda name, args, **_: sent.append((name, args)))
    return sent


def _world(people, count: int) -> World:
    world = World(people)
    for i in range(count):
        world.schedule(world.participant(legal_name=f"Planner Test{i}"))
    return world


def test_a_planner_finishes_a_calculation_whose_chunks_are_all_done(people, as_if_workers):
    world = _world(people, 3)
    run = stipends.create_run(world.finance, "2026-01", run_tasks=False)
    assert chunks.plan(run.id, run.generation, 2) == [1, 2]
    for number in (1, 2):  # each committed; the worker died before `finish`
        assert chunks.run_chunk(run.id, run.generation, number) == "done"
    assert PaymentRun.get_by_id(run.id).state == "CALCULATING"
    outcome = tasks.calculate_payment_run.apply(args=[run.id, run.generation]).get()
    assert outcome == "done" and as_if_workers == []
    after = PaymentRun.get_by_id(run.id)
    assert (after.state, after.job_status, after.job_done) == ("CALCULATED", "DONE", 3)
    # sent once more after that: nothing left to do
    assert tasks.calculate_payment_run.apply(args=[run.id, run.generation]).get() == "stale"


def test_a_planner_writes_the_files_of_an_export_whose_chunks_are_all_done(people, as_if_workers):
    world = _world(people, 3)
    run = world.approve(world.calculate("2026-01"))
    run = stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False)
    round_, pending = export_chunks.plan(run.id, "task-1", 2)
    for number in pending:  # each committed; the worker died before the files
        assert export_chunks.run_chunk(run.id, round_, number) == "done"
    assert PaymentFile.select().count() == 0
    assert tasks.disburse_payment_run.apply(args=[run.id]).get() == "done"
    assert as_if_workers == []
    after = PaymentRun.get_by_id(run.id)
    assert (after.job_status, after.job_done, after.job_total) == ("DONE", 3, 3)
    assert PaymentFile.select().count() == 1
    assert tasks.disburse_payment_run.apply(args=[run.id]).get() == "stale"
