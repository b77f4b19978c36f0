"""What the approval panel says changed (issue 18): her looks per version, the snapshot of
the lines she saw, and the comparison with the lines now, counted and paged by the
database; only FINANCE looks, and only at a run that can be approved."""

from __future__ import annotations

from decimal import Decimal

import pytest

from econ.errors import PermissionDenied
from econ.stipends import services as stipends
from econ.stipends import snapshots
from econ.stipends.models import RunSnapshot, RunSnapshotLine, RunView
from tests.stipends.conftest import World

PERIOD = "2026-03"


@pytest.fixture
def three(people):
    world = World(people)
    women = [world.participant() for _ in range(3)]
    schedules = [world.schedule(her, start="2026-01") for her in women]
    return world, women, schedules


def _look(world, run, who=None):
    run = stipends.get_run(world.finance2, run.id)
    return stipends.since_last_look(who or world.finance2, run)


def test_the_first_look_says_none_and_keeps_the_lines_she_saw(three):
    world, _, _ = three
    run = world.calculate(PERIOD)
    assert _look(world, run) is None
    snapshot = RunSnapshot.get(RunSnapshot.run == run.id)
    assert RunSnapshotLine.select().where(RunSnapshotLine.snapshot == snapshot).count() == 3
    assert (snapshot.count, snapshot.total) == (3, Decimal("2700.00"))
    # a second look at the same version: still nothing earlier, one snapshot, one look
    assert _look(world, run) is None
    assert RunSnapshot.select().where(RunSnapshot.run == run.id).count() == 1
    assert RunView.select().where(RunView.run == run.id).count() == 1


def test_added_removed_and_changed_lines_with_old_and_new_amounts(three):
    world, women, schedules = three
    run = world.calculate(PERIOD)
    _look(world, run)
    stipends.end_schedule(world.counselor, schedules[0].id, "INDEPENDENCE", "found work")
    world.award(women[1], amount="50.00")
    late = world.participant()
    world.schedule(late, start="2026-01")
    run = world.recalculate(run)
    since = _look(world, run)
    assert since is not None and since.compared and since.version < run.version
    assert (since.count, since.total) == (3, Decimal("2700.00"))
    assert since.changes() == snapshots.Changes(added=1, removed=1, changed=1)
    page = since.change_page(0, 10)
    by_woman = {change.participant_id: change for change in page}
    assert by_woman[women[0].id].change == "REMOVED" and by_woman[women[0].id].after is None
    assert by_woman[women[0].id].before == Decimal("900.00")
    assert by_woman[women[1].id].change == "CHANGED"
    assert (by_woman[women[1].id].before, by_woman[women[1].id].after) == (
        Decimal("900.00"),
        Decimal("950.00"),
    )
    assert by_woman[late.id].change == "ADDED" and by_woman[late.id].after == Decimal("900.00")
    assert women[2].id not in by_woman  # unchanged lines are not listed
    # pages: two, then one, then none, in the same order as the whole
    assert since.change_page(0, 2) + since.change_page(2, 2) == page
    assert since.change_page(3, 2) == []


def test_a_reviewer_keeps_the_version_before_and_old_snapshots_go(three):
    world, women, _ = three
    run = world.calculate(PERIOD)
    _look(world, run)
    for amount in ("10.00", "20.00"):
        world.award(women[0], amount=amount)
        run = world.recalculate(run)
        _look(world, run)
    since = _look(world, run)
    assert since.changes() == snapshots.Changes(0, 0, 1)
    assert [c.before for c in since.change_page(0, 5)] == [Decimal("910.00")]
    # her looks: this version and the one before; the first snapshot nobody points at
    assert RunView.select().where(RunView.run == run.id).count() == 2
    assert RunSnapshot.select().where(RunSnapshot.run == run.id).count() == 2


def test_a_held_line_that_becomes_payable_is_changed(people):
    world = World(people)
    her = world.participant(bank_account=None)
    world.schedule(her, start="2026-01")
    world.schedule(world.participant(), start="2026-01")
    run = world.calculate(PERIOD)
    _look(world, run)
    stipends.set_payment_method(world.finance, her.id, "CASH")
    run = world.recalculate(run)
    since = _look(world, run)
    [change] = since.change_page(0, 5)
    assert (change.status_before, change.status_after) == ("HELD", "PENDING")
    assert change.before == change.after == Decimal("900.00")


def test_only_finance_looks_and_only_at_a_run_that_can_be_approved(three):
    world, _, _ = three
    run = world.calculate(PERIOD)
    with pytest.raises(PermissionDenied):
        stipends.since_last_look(world.counselor, run)
    approved = world.approve(run)
    assert stipends.since_last_look(world.finance2, approved) is None
    assert (
        not RunView.select()
        .where((RunView.run == run.id) & (RunView.version == approved.version))
        .exists()
    )


def test_another_users_looks_are_her_own(three):
    world, women, _ = three
    run = world.calculate(PERIOD)
    _look(world, run)  # finance2 saw the first version; finance never did
    world.award(women[0], amount="10.00")
    run = world.recalculate(run)
    assert _look(world, run, world.finance) is None
    assert _look(world, run).changes() == snapshots.Changes(0, 0, 1)


def test_a_reload_writes_nothing(three):
    world, _, _ = three
    run = world.calculate(PERIOD)
    _look(world, run)
    first = RunView.get(RunView.run == run.id)
    _look(world, run)
    assert RunView.get(RunView.run == run.id).at == first.at  # no write per reload
