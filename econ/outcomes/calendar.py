"""Months ("YYYY-MM") and calendar quarters, as the indicator definitions count them."""

from __future__ import annotations

import calendar
from datetime import date

Quarter = tuple[int, int]  # (year, 1..4)


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def add_months(month: str, n: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + n
    return f"{index // 12}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when last < first)."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_end(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:])
    return date(year, mon, calendar.monthrange(year, mon)[1])


def quarter_of(day: date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def add_quarters(quarter: Quarter, n: int) -> Quarter:
    index = quarter[0] * 4 + quarter[1] - 1 + n
    return index // 4, index % 4 + 1


def quarter_months(quarter: Quarter) -> list[str]:
    first = (quarter[1] - 1) * 3 + 1
    return [f"{quarter[0]}-{m:02d}" for m in range(first, first + 3)]


def quarter_start(quarter: Quarter) -> date:
    return date(quarter[0], (quarter[1] - 1) * 3 + 1, 1)


def quarter_end(quarter: Quarter) -> date:
    return month_end(quarter_months(quarter)[-1])
