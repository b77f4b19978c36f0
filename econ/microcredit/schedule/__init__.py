"""Loan schedule engine: Fineract-compatible cumulative schedules, pure functions on Decimal.

Conventions and their Fineract sources: docs/microcredit-schedule.md.
"""

from __future__ import annotations

from econ.microcredit.schedule.generator import Installment, Schedule, generate_schedule
from econ.microcredit.schedule.periods import add_periods, due_dates, periods_per_year
from econ.microcredit.schedule.terms import LoanTerms

__all__ = [
    "Installment",
    "LoanTerms",
    "Schedule",
    "add_periods",
    "due_dates",
    "generate_schedule",
    "periods_per_year",
]
