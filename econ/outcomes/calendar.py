"""Calendar quarters, as the indicator definitions count them (months come from econ.months)."""

from __future__ import annotations

from datetime import date

from econ.months import add_months, month_end, month_of, months_between

__all__ = [
    "Quarter",
    "add_months",
    "add_quarters",
    "month_end",
    "month_of",
    "months_between",
    "quarter_end",
    "quarter_months",
    "quarter_of",
    "quarter_start",
]

Quarter = tuple[int, int]  # (year, 1..4)


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
