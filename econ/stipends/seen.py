"""What she saw before: the approval panel tells a FINANCE user what changed in a run since
she last looked at it (HOPE's reviewers approve what they read; a recalculation between
two looks must not pass unnoticed).

Each look at the panel replaces her previous one (one row per run and user); the answer
is the look before this one, and the run's events since it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from econ.db import utcnow, write_transaction
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends.approval import Payable, payable_total
from econ.stipends.models import PaymentRun, RunEvent, RunView


@dataclass(frozen=True)
class Since:
    version: int
    count: int
    total: Decimal
    at: datetime
    events: list[RunEvent]  # the run's moves after that look (recalculations, rejections)


def since_last_look(
    actor: Actor | None, run: PaymentRun, payable: Payable | None = None
) -> Since | None:
    """Her previous look at the run (None the first time), and record this one
    (`payable`: the run's payable totals when the caller has read them already)."""
    actor = require_role(actor, Role.FINANCE)
    payable = payable or payable_total(run)
    with write_transaction():
        before = RunView.get_or_none((RunView.run == run.id) & (RunView.user_id == actor.user_id))
        now = {"version": run.version, "count": payable.count, "total": payable.total}
        RunView.insert(run=run.id, user_id=actor.user_id, at=utcnow(), **now).on_conflict(
            conflict_target=[RunView.run, RunView.user_id],
            update={
                RunView.version: run.version,
                RunView.count: payable.count,
                RunView.total: payable.total,
                RunView.at: utcnow(),
            },
        ).execute()
    if before is None:
        return None
    events = list(
        RunEvent.select()
        .where((RunEvent.run == run.id) & (RunEvent.at > before.at))
        .order_by(RunEvent.id)
    )
    return Since(before.version, before.count, before.total, before.at, events)
