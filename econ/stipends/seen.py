"""What she saw before: the approval panel tells a FINANCE user what changed in a run since
the version she saw before this one (HOPE's reviewers approve what they read; a
recalculation between two looks must not pass unnoticed).

She has one look per version of the run she saw on its panel (`RunView`, with the
snapshot of the lines she saw, econ/stipends/snapshots.py). The answer is her latest look
at an earlier version, the run's events since, and the lines compared: it stays until a
newer version replaces it, so a second look at the same version still says what changed.
Only a run that can be approved (CALCULATED, its calculation done) records a look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from econ.db import PreparedQuery, utcnow, write_transaction
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends import snapshots
from econ.stipends.approval import Payable, payable_total
from econ.stipends.models import PaymentRun, RunEvent, RunSnapshot, RunView


@dataclass(frozen=True)
class Since:
    version: int
    count: int
    total: Decimal
    at: datetime
    events: list[RunEvent]  # the run's moves after that look (recalculations, rejections)
    before: RunSnapshot | None  # the lines she saw then (None: a look before m0027)
    after: RunSnapshot  # the lines she sees now

    @property
    def compared(self) -> bool:
        return self.before is not None

    def changes(self) -> snapshots.Changes | None:
        return snapshots.compare(self.before, self.after) if self.before else None

    def change_page(self, offset: int, limit: int) -> list[snapshots.LineChange]:
        if self.before is None:
            return []
        return snapshots.change_page(self.before, self.after, offset, limit)


def reviewable(run: PaymentRun) -> bool:
    """Whether the run shows its approval panel: its lines are final until it moves."""
    return run.state == "CALCULATED" and run.job_status == "DONE"


def since_last_look(
    actor: Actor | None, run: PaymentRun, payable: Payable | None = None
) -> Since | None:
    """Her latest look at an earlier version of the run (None if she saw none, or the
    run cannot be approved now), and record this one (`payable`: the run's payable
    totals when the caller has read them already)."""
    actor = require_role(actor, Role.FINANCE)
    if not reviewable(run):
        return None
    payable = payable or payable_total(run)
    now = _VIEW_OF.first(run.id, actor.user_id, run.version)
    if now is not None and now.snapshot_id and utcnow() - now.at < _AGAIN:
        snapshot = _SNAPSHOT.rows(now.snapshot_id)[0]  # a reload: nothing to write
    else:
        snapshot = _record(actor, run, payable, now)
    earlier = _VIEW_BEFORE.rows(run.id, actor.user_id, run.version)
    if not earlier:
        return None
    before = earlier[0]
    events = list(
        RunEvent.select()
        .where((RunEvent.run == run.id) & (RunEvent.at > before.at))
        .order_by(RunEvent.id)
    )
    seen = (
        RunSnapshot.get_or_none(RunSnapshot.id == before.snapshot_id)
        if before.snapshot_id
        else None
    )
    return Since(before.version, before.count, before.total, before.at, events, seen, snapshot)


# The run page reads her looks on every view: these are built once (econ.db.PreparedQuery).
_VIEW_OF = PreparedQuery(
    lambda run_id, user_id, version: RunView.select().where(
        (RunView.run == run_id) & (RunView.user_id == user_id) & (RunView.version == version)
    ),
    arity=3,
)
_VIEW_BEFORE = PreparedQuery(
    lambda run_id, user_id, version: (
        RunView.select()
        .where((RunView.run == run_id) & (RunView.user_id == user_id) & (RunView.version < version))
        .order_by(RunView.version.desc())
        .limit(1)
    ),
    arity=3,
)
_SNAPSHOT = PreparedQuery(
    lambda snapshot_id: RunSnapshot.select().where(RunSnapshot.id == snapshot_id)
)

# A look at the same version within this long of the last one recorded is not written
# again: the run page is reloaded often, and no event of the run happens without a new
# version (every move bumps it), so only the "you looked on" time is that much older.
_AGAIN = timedelta(minutes=1)


def _record(actor: Actor, run: PaymentRun, payable: Payable, now: RunView | None) -> RunSnapshot:
    """Her look at this version (and the snapshot of its lines, on the first look by
    anyone); on her first look at a new version, her looks older than the one before it
    go, and the snapshots nobody's look points at."""
    mine = (RunView.run == run.id) & (RunView.user_id == actor.user_id)
    with write_transaction():
        snapshot = snapshots.take(run, payable.count, payable.total)
        if now is None:
            inserted = RunView.insert(
                run=run.id,
                user_id=actor.user_id,
                version=run.version,
                count=payable.count,
                total=payable.total,
                snapshot_id=snapshot.id,
                at=utcnow(),
            ).on_conflict_ignore()
            inserted.execute()
            older = [
                v.id
                for v in RunView.select(RunView.id)
                .where(mine & (RunView.version < run.version))
                .order_by(RunView.version.desc())
                .offset(1)
            ]
            if older:  # she keeps the version before this one
                RunView.delete().where(RunView.id.in_(older)).execute()
                snapshots.prune(run.id)
        else:
            RunView.update(at=utcnow(), snapshot_id=snapshot.id).where(
                RunView.id == now.id
            ).execute()
    return snapshot
