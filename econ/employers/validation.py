"""Input checks for the employers domain; each raises DomainError naming the input field."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from econ.employers.errors import EmployerCode
from econ.errors import CommonCode, DomainError
from econ.money import parse_amount
from econ.participants import validation as pv
from econ.settings.services import setting

# Weeks per month for hourly/monthly conversions: 52 weeks / 12 months.
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
CENT = Decimal("0.01")

text = pv.text
iso_date = pv.iso_date
one_of = pv.one_of
skills = pv.skills
languages = pv.languages


def hours(value: int | None, field: str = "hoursPerWeek", *, required: bool = True) -> int | None:
    if value is None:
        if required:
            raise DomainError(CommonCode.REQUIRED, f"{field} is required", field)
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 60:
        raise DomainError(CommonCode.INVALID_HOURS, f"{field} must be 1 to 60 hours a week", field)
    return value


def positive_int(value: int | None, field: str, maximum: int = 1000) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        raise DomainError(CommonCode.INVALID_NUMBER, f"{field} must be 1 to {maximum}", field)
    return value


def monthly_equivalent(amount: Decimal, period: str, hours_per_week: int) -> Decimal:
    """Monthly pay for an hourly rate at the stated hours (52/12 weeks a month), to the cent."""
    if period == "MONTHLY":
        return amount
    return (amount * hours_per_week * WEEKS_PER_MONTH).quantize(CENT, ROUND_HALF_UP)


def hourly_equivalent(amount: Decimal, period: str, hours_per_week: int) -> Decimal:
    if period == "HOURLY":
        return amount
    return (amount / (hours_per_week * WEEKS_PER_MONTH)).quantize(CENT, ROUND_HALF_UP)


def pay(amount: str | Decimal | None, period: str | None, hours_per_week: int) -> Decimal:
    """Pay that is at least the configured minimum wage at the stated hours."""
    if amount is None or amount == "":
        raise DomainError(CommonCode.REQUIRED, "payAmount is required", "payAmount")
    value = parse_amount(amount, "payAmount")
    period = one_of(period, ("HOURLY", "MONTHLY"), "payPeriod")
    minimum_hourly = setting("minimum_wage_hourly")
    minimum = (
        minimum_hourly
        if period == "HOURLY"
        else monthly_equivalent(minimum_hourly, "HOURLY", hours_per_week)
    )
    if value < minimum:
        raise DomainError(
            EmployerCode.BELOW_MINIMUM_WAGE,
            f"pay must be at least {minimum} {period.lower()} at {hours_per_week} hours a week",
            "payAmount",
        )
    return value


def future_or_today(value: str | dt.date | None, field: str) -> dt.date | None:
    parsed = iso_date(value, field)
    if parsed is not None and parsed < dt.date.today():
        raise DomainError(EmployerCode.DATE_IN_PAST, f"{field} is in the past", field)
    return parsed
