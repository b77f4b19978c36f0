"""Bounds every input must lie within, checked at the edge (GraphQL, URLs, CLI).

Out-of-bounds input is the caller's mistake, so it is a clear 400, never an internal error
deep in the code: text with U+0000 (PostgreSQL cannot store it) or unpaired surrogates
(they cannot be encoded as UTF-8, so every hash, database write and JSON answer fails);
dates outside 1900-2200 (date arithmetic overflows near year 1 and 9999, and no record of
the program is that old or that far ahead); ids that do not fit a signed 64-bit integer.
"""

from __future__ import annotations

import datetime as dt
import re

from econ.errors import CommonCode, DomainError

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)
MAX_ID = 2**63 - 1
DATE_MESSAGE = f"dates must lie between {MIN_DATE} and {MAX_DATE}"
ID_MESSAGE = "ids are whole numbers below 2^63"
NUL_MESSAGE = "text may not contain NUL characters (U+0000)"
SURROGATE_MESSAGE = "text may not contain unpaired surrogates (U+D800 to U+DFFF)"
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why this text cannot be stored, or None."""
    if "\x00" in value:
        return NUL_MESSAGE
    if _SURROGATE.search(value):
        return SURROGATE_MESSAGE
    return None


def first_text_problem(value: object) -> str | None:
    """The first problem of any string (key or value) in a JSON value, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return problem
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item
    return None


def in_date_range(day: dt.date) -> bool:
    return MIN_DATE <= day <= MAX_DATE


def check_date(day: dt.date, field: str = "date") -> dt.date:
    if not in_date_range(day):
        raise DomainError(CommonCode.INVALID_DATE, DATE_MESSAGE, field)
    return day


def parse_date(text: str | None, field: str = "date") -> dt.date:
    """YYYY-MM-DD within the bounds, or a DomainError naming the field."""
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise DomainError(
            CommonCode.INVALID_DATE, f"{field} must be a YYYY-MM-DD date", field
        ) from None
    return check_date(day, field)


def id_in_range(value: int) -> bool:
    return 0 <= value <= MAX_ID


def optional_whole_number(raw: str | None, field: str) -> int | None:
    """A query parameter such as `?version=3`: None when absent, else a whole number within
    the id range, or a DomainError naming the field."""
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not id_in_range(int(raw)):
        raise DomainError(CommonCode.BAD_REQUEST, f"{field} must be a whole number", field)
    return int(raw)
