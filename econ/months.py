"""Months written "YYYY-MM", the way every domain stores and compares them.

Counting months as one integer (year * 12 + month - 1) makes adding and subtracting plain
arithmetic, with no special case at the turn of a year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from econ.errors import CommonCode, DomainError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$", re.ASCII)  # not fullwidth digits


def check_month(value: object, field: str = "period") -> str:
    """A month as a client wrote it, checked: YYYY-MM."""
    if not isinstance(value, str) or not _MONTH.match(value.strip()):
        raise DomainError(CommonCode.INVALID_MONTH, "a month is written YYYY-MM", field)
    return value.strip()


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:]) - 1


def add_months(month: str, n: int) -> str:
    index = month_index(month) + n
    return f"{index // 12}-{index % 12 + 1:02d}"


def previous_month(month: str) -> str:
    return add_months(month, -1)


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when last < first)."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:]), 1)


def month_end(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:])
    return date(year, mon, calendar.monthrange(year, mon)[1])
