"""Run a block as if today were another day: for records that may only be entered on
the day they happen (a hire is not back-dated: issue 14), in stories set in the past."""

from __future__ import annotations

import datetime as dt

import time_machine


def on_day(day: dt.date, hour: int = 9):
    """A context manager (and decorator): the clock reads `day` at `hour` UTC, ticking."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
    return time_machine.travel(moment, tick=True)
