"""Batch reads for other domains (outcomes): stipend rows for a set of participants, one
query each.

No permission check here: callers pass ids they resolved through a checked service call
(or compute programme-wide figures that never leave their domain unsuppressed).
"""

from __future__ import annotations

from collections.abc import Iterable

from econ.stipends.models import PaymentLine, PaymentRun, StipendSchedule


def schedules_of_participants(ids: Iterable[int]) -> list[StipendSchedule]:
    """Their stipend schedules, oldest first."""
    return list(
        StipendSchedule.select()
        .where(StipendSchedule.participant.in_(list(ids)))
        .order_by(StipendSchedule.id)
    )


def live_lines_of_schedules(schedule_ids: Iterable[int]) -> list[PaymentLine]:
    """The lines of these schedules in runs not CANCELLED, by period; `line.run.state` is
    loaded with them."""
    return list(
        PaymentLine.select(PaymentLine, PaymentRun.state)
        .join(PaymentRun)
        .where(PaymentLine.schedule.in_(list(schedule_ids)) & (PaymentRun.state != "CANCELLED"))
        .order_by(PaymentLine.period)
    )
