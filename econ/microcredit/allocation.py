"""Repayment allocation, a pure function: oldest installment first, interest before principal.

Money beyond what is due pays the next installments in advance. Allocation always runs
from scratch over a loan's live repayments in (date, id) order, so recording a back-dated
repayment or reversing one gives the same state as if history had been that way.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from econ.errors import CommonCode, DomainError
from econ.microcredit.errors import MicrocreditCode

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Due:
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal


@dataclass(frozen=True)
class Payment:
    key: Hashable
    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class Paid:
    principal: Decimal
    interest: Decimal


@dataclass(frozen=True)
class Allocation:
    paid: dict[int, Paid]  # by installment number
    # per payment key: [(installment number, principal, interest), ...]
    lines: dict[Hashable, list[tuple[int, Decimal, Decimal]]]


def allocate(installments: Sequence[Due], payments: Sequence[Payment]) -> Allocation:
    """Spread payments over installments; a payment beyond everything owed raises."""
    ordered = sorted(installments, key=lambda d: d.number)
    owed = {d.number: [d.interest, d.principal] for d in ordered}
    paid = {d.number: [ZERO, ZERO] for d in ordered}  # [interest, principal]
    lines: dict[Hashable, list[tuple[int, Decimal, Decimal]]] = {}
    for payment in sorted(payments, key=lambda p: (p.paid_on, _sort_key(p.key))):
        if payment.amount <= 0:
            raise DomainError(CommonCode.INVALID_AMOUNT, "a repayment must be positive", "amount")
        left = payment.amount
        mine: list[tuple[int, Decimal, Decimal]] = []
        for due in ordered:
            if left == 0:
                break
            interest = min(left, owed[due.number][0])
            left -= interest
            principal = min(left, owed[due.number][1])
            left -= principal
            if interest or principal:
                owed[due.number][0] -= interest
                owed[due.number][1] -= principal
                paid[due.number][0] += interest
                paid[due.number][1] += principal
                mine.append((due.number, principal, interest))
        if left > 0:
            raise DomainError(
                MicrocreditCode.OVERPAYMENT,
                f"the repayment exceeds what remains of the loan by {left}",
                "amount",
            )
        lines[payment.key] = mine
    return Allocation(
        paid={n: Paid(principal=p[1], interest=p[0]) for n, p in paid.items()}, lines=lines
    )


def _sort_key(key: Hashable) -> tuple:
    # Repayment ids sort numerically; a not-yet-saved repayment (key None) comes last that day.
    return (key is None, key if isinstance(key, int) else 0)


def remaining(installments: Sequence[Due], paid: dict[int, Paid]) -> Decimal:
    return (
        sum(
            (d.principal + d.interest - paid[d.number].principal - paid[d.number].interest)
            for d in installments
        )
        or ZERO
    )
