"""Input checks specific to training; generic ones come from participants' validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from econ.errors import CommonCode, DomainError
from econ.participants import validation as v
from econ.training.errors import TrainingCode
from econ.training.models import WEEKDAYS

MAX_CAPACITY = 1000


def hours(value: object, field: str, maximum: Decimal) -> Decimal:
    """Hours with at most one decimal place (7.5 hours a week), above zero."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            CommonCode.INVALID_HOURS, f"{field} must be a number of hours", field
        ) from None
    if not number.is_finite() or number <= 0 or number > maximum:
        raise DomainError(
            CommonCode.INVALID_HOURS, f"{field} must be above 0 and at most {maximum}", field
        )
    if number != number.quantize(Decimal("0.1")):
        raise DomainError(CommonCode.INVALID_HOURS, f"{field} may have one decimal place", field)
    return number.quantize(Decimal("0.1"))


def capacity(value: object, field: str = "capacity") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CAPACITY:
        raise DomainError(
            TrainingCode.INVALID_CAPACITY,
            f"capacity must be a whole number from 1 to {MAX_CAPACITY}",
            field,
        )
    return value


def required_date(value: str | dt.date | None, field: str) -> dt.date:
    parsed = v.iso_date(value, field)
    if parsed is None:
        raise DomainError(CommonCode.REQUIRED, f"{field} is required", field)
    return parsed


def session_days(values: list[str] | None, field: str = "sessionDays") -> list[str]:
    chosen = set()
    for value in values or []:
        chosen.add(v.one_of(value, WEEKDAYS, field, TrainingCode.INVALID_WEEKDAY))
    if not chosen:
        raise DomainError(CommonCode.REQUIRED, "choose at least one session day", field)
    return [day for day in WEEKDAYS if day in chosen]


def is_session_day(day: dt.date, days: list[str]) -> bool:
    return WEEKDAYS[day.weekday()] in days
