"""The requested execution date of a SEPA file: a TARGET business day.

SEPA credit transfers settle on TARGET (T2) business days only: every day except
Saturdays, Sundays and the TARGET closing days (1 January, Good Friday, Easter Monday,
1 May, 25 and 26 December). The calendar is the `holidays` package's ECB financial
calendar ("XECB"), so Easter dates and any future change come from a maintained source.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

TARGET_CALENDAR = "XECB"


@cache
def _closing_days(year: int) -> frozenset[date]:
    return frozenset(holidays.financial_holidays(TARGET_CALENDAR, years=year))


def is_target_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closing_days(day.year)


def next_target_business_day(day: date) -> date:
    """`day` itself when it is a TARGET business day, else the first one after it."""
    while not is_target_business_day(day):
        day += timedelta(days=1)
    return day
