"""Batch reads for other domains (outcomes): stipend rows for a set of participants, one
query each.

No permission check here: callers pass ids they resolved through a checked service call
(or compute programme-wide figures that never leave their domain unsuppressed).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import peewee as pw

from econ.db import Ids, PreparedShape
from econ.months import month_of
from econ.stipends.models import PaymentLine, PaymentRun, StipendSchedule

LIVE_SCHEDULE = ("DRAFT", "APPROVED", "ACTIVE", "PAUSED")


def schedules_of_participants(ids: Iterable[int]) -> list[StipendSchedule]:
    """Their stipend schedules, oldest first."""
    return _SCHEDULES.rows(Ids(ids))


_SCHEDULES = PreparedShape(  # a plan overview on every view: SQL built once per shape
    lambda ids: (
        StipendSchedule.select()
        .where(StipendSchedule.participant.in_(ids))
        .order_by(StipendSchedule.id)
    )
)


def live_lines_of_schedules(
    schedule_ids: Iterable[int], statuses: tuple[str, ...] = ()
) -> list[PaymentLine]:
    """The lines of these schedules in runs not CANCELLED (only those in `statuses` when
    given), by period; `line.run.state` is loaded with them."""
    return _LIVE_LINES.rows(Ids(schedule_ids), tuple(statuses))


def _live_lines(ids: Ids, statuses: tuple[str, ...]) -> pw.Query:
    wanted = PaymentLine.schedule.in_(ids) & (PaymentRun.state != "CANCELLED")
    if statuses:
        wanted &= PaymentLine.status.in_(statuses)
    return (
        PaymentLine.select(PaymentLine, PaymentRun.state)
        .join(PaymentRun)
        .where(wanted)
        .order_by(PaymentLine.period)
    )


_LIVE_LINES = PreparedShape(_live_lines)  # a plan overview: SQL built once per shape


def months_left_of_live_stipends(ids: list[int], as_of: date) -> dict[int, int]:
    """Months left of each participant's live stipend (her latest live schedule): its
    duration less the lines that use it up to `as_of`'s month, in runs not CANCELLED.
    One grouped statement; the lines themselves are never read."""
    rows = _MONTHS_USED.rows(Ids(ids), month_of(as_of))
    return {pid: max(0, duration - used) for pid, duration, used in rows}  # the latest wins


def _months_used(ids: Ids, month: str) -> pw.Query:
    counted = (
        (PaymentLine.schedule == StipendSchedule.id)
        & (PaymentLine.uses_duration == True)  # noqa: E712 - SQL, not Python
        & (PaymentLine.period <= month)
        & PaymentLine.run.in_(
            PaymentRun.select(PaymentRun.id).where(PaymentRun.state != "CANCELLED")
        )
    )
    return (
        StipendSchedule.select(
            StipendSchedule.participant,
            StipendSchedule.duration_months,
            pw.fn.COUNT(PaymentLine.id),
        )
        .join(PaymentLine, pw.JOIN.LEFT_OUTER, on=counted)
        .where(StipendSchedule.participant.in_(ids) & StipendSchedule.state.in_(LIVE_SCHEDULE))
        .group_by(StipendSchedule.id)
        .order_by(StipendSchedule.id)
        .tuples()
    )


_MONTHS_USED = PreparedShape(_months_used)  # every caseload view: SQL built once per shape
