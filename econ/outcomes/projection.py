"""Income against target: months at target in a row, and when independence is in sight.

Independence (DOMAIN.md) = verified employment + business income at or above the target
for 3 consecutive months. The projection, in order:
- REACHED: the test is already met (the month it was first met);
- PROJECTED from the run: the latest verified month is at target, k months in a row, so
  she is independent k' = 3 - k months later if it holds;
- PROJECTED from the trend: a least-squares line through the last (up to) 6 verified
  months, with at least 3 points and a rising slope: the first month the line reaches the
  target, plus 2 more months to make 3 in a row;
- NOT_YET_PROJECTABLE otherwise (too few months, or a flat or falling trend).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from econ.months import add_months, month_index, months_between
from econ.outcomes.definitions import MONTHS_FOR_INDEPENDENCE, independence_month
from econ.participants import services as participants

TREND_MONTHS = 6


@dataclass(frozen=True)
class Projection:
    status: str  # REACHED, PROJECTED, NOT_YET_PROJECTABLE
    month: str | None


def months_at_target_in_a_row(months: dict[str, Decimal], target: Decimal, up_to: str) -> int:
    """Counting back from the latest verified month up to `up_to`, while at target."""
    return participants.consecutive_months_at_target(months, target, up_to)[0]


def project(months: dict[str, Decimal], target: Decimal, up_to: str) -> Projection:
    known = {m: v for m, v in months.items() if m <= up_to}
    reached = independence_month(known, target)
    if reached is not None:
        return Projection("REACHED", reached)
    if not known:
        return Projection("NOT_YET_PROJECTABLE", None)
    latest = max(known)
    run = months_at_target_in_a_row(known, target, up_to)
    if run > 0:
        return Projection("PROJECTED", add_months(latest, MONTHS_FOR_INDEPENDENCE - run))
    window = [m for m in months_between(add_months(latest, 1 - TREND_MONTHS), latest) if m in known]
    if len(window) < 3:
        return Projection("NOT_YET_PROJECTABLE", None)
    xs = [Decimal(month_index(m)) for m in window]
    ys = [known[m] for m in window]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    if slope <= 0:
        return Projection("NOT_YET_PROJECTABLE", None)
    # The line is mean_y + slope * (x - mean_x); solve for the target.
    crossing = (mean_x + (target - mean_y) / slope).to_integral_value(rounding=ROUND_CEILING)
    first = max(int(crossing), month_index(latest) + 1)
    month = add_months(latest, first - month_index(latest))
    return Projection("PROJECTED", add_months(month, MONTHS_FOR_INDEPENDENCE - 1))
