"""Months as "YYYY-MM" strings: validation and arithmetic."""

from __future__ import annotations

import re

from econ.errors import DomainError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$", re.ASCII)  # not fullwidth digits


def check_month(value: object, field: str = "period") -> str:
    if not isinstance(value, str) or not _MONTH.match(value.strip()):
        raise DomainError("INVALID_MONTH", "a month is written YYYY-MM", field)
    return value.strip()


def add_months(month: str, count: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(start: str, end: str) -> int:
    """end - start in months (0 when equal)."""
    return (int(end[:4]) * 12 + int(end[5:])) - (int(start[:4]) * 12 + int(start[5:]))
