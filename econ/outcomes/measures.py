"""What an indicator returns (a ratio, a median, a count) and what it is asked about
(the period, the cell's scope). Re-exported by `definitions`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from econ.outcomes.calendar import (
    month_of,
    months_between,
)
from econ.outcomes.sources import Facts

RATE = Decimal("0.0001")
CENT = Decimal("0.01")
SEATED = ("ENROLLED", "ACTIVE", "PAUSED", "COMPLETED")
EXITS = ("EXITED", "GRADUATED")


@dataclass(frozen=True)
class Period:
    """The report's range (both days included) and the day the data are read as of."""

    start: date
    end: date
    as_of: date

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def months(self) -> list[str]:
        return months_between(month_of(self.start), month_of(self.end))


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        if self.denominator == 0:
            return None
        return (Decimal(self.numerator) / Decimal(self.denominator)).quantize(
            RATE, rounding=ROUND_HALF_EVEN
        )

    @property
    def cell(self) -> int:
        return self.denominator


@dataclass(frozen=True)
class Median:
    value: Decimal | None
    count: int

    @property
    def cell(self) -> int:
        return self.count


@dataclass(frozen=True)
class Count:
    value: int

    @property
    def cell(self) -> int:
        return self.value


def median(values: Iterable[Decimal], places: Decimal = CENT) -> Median:
    """The middle value; the mean of the two middle ones for an even count (half-even)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return Median(None, 0)
    middle = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return Median(Decimal(middle).quantize(places, rounding=ROUND_HALF_EVEN), n)


@dataclass(frozen=True)
class Scope:
    """One cell: the participants it counts, and which of their records belong to it.

    A by-program cell counts only the enrolments of that program, and the participants who
    had a seat in it; `employer_id` limits placements to one employer (its own view).
    """

    participant_ids: frozenset[int]
    enrollment_ok: Callable[[object], bool] = field(default=lambda e: True)
    employer_id: int | None = None

    def placements(self, facts: Facts) -> list:
        return [
            p
            for pid in sorted(self.participant_ids)
            for p in facts.placements.get(pid, [])
            if self.employer_id is None or p.employer_id == self.employer_id
        ]

    def enrollments(self, facts: Facts) -> list:
        return [
            e
            for pid in sorted(self.participant_ids)
            for e in facts.enrollments.get(pid, [])
            if self.enrollment_ok(e)
        ]
