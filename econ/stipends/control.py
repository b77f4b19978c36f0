"""A run's control totals: what a second FINANCE user approves and the run then freezes.

Computed in one pass over the payable lines in id order, reading only the columns the
totals need, so approving a run of 100,000 lines never holds its lines in memory (the
encrypted payee columns are never read); the journal entry's postings come from a
second cursor (`newly_approved`). The hash is SHA-256 over
`id|schedule|period|cents|method|account hash` of each line, in id order: the same lines
give the same hash, and any change of amount, method or account changes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import peewee as pw

from econ.money import ZERO
from econ.stipends.models import STIPEND, PaymentLine

# The columns the totals read, in the order `ControlTotals.add` takes them.
COLUMNS = (
    PaymentLine.id,
    PaymentLine.schedule,
    PaymentLine.period,
    PaymentLine.net,
    PaymentLine.method,
    PaymentLine.account_hash,
)


@dataclass
class ControlTotals:
    count: int = 0
    total: Decimal = ZERO
    by_method: dict[str, dict] = field(default_factory=dict)
    _digest: object = field(default_factory=hashlib.sha256, repr=False)

    def add(self, row: tuple) -> None:
        """One line as the tuple of COLUMNS (as peewee converts them: net a Decimal)."""
        line_id, schedule_id, period, net, method, account_hash = row
        cents = int(net * 100)
        self._digest.update(
            f"{line_id}|{schedule_id}|{period}|{cents}|{method}|{account_hash}\n".encode()
        )
        self.count += 1
        self.total += net
        entry = self.by_method.setdefault(method, {"count": 0, "total": ZERO})
        entry["count"] += 1
        entry["total"] += net

    @property
    def hash(self) -> str:
        return self._digest.hexdigest()

    def by_method_json(self) -> dict[str, dict]:
        return {
            m: {"count": v["count"], "total": str(v["total"])} for m, v in self.by_method.items()
        }


def newly_approved(lines: pw.ModelSelect) -> Iterator[tuple[int, Decimal]]:
    """(participant id, net) of the stipend lines no earlier approval covered, in id order,
    from a cursor: what the approval's journal entry posts, never held as a list. A loan
    line is counted in the totals but is no expense: it posts when sent and paid
    (postings.py)."""
    query = lines.where(~PaymentLine.approved & (PaymentLine.kind == STIPEND)).select(
        PaymentLine.participant, PaymentLine.net
    )
    yield from query.order_by(PaymentLine.id).tuples().iterator()


def control_totals(lines: pw.ModelSelect) -> ControlTotals:
    """The totals of the lines `lines` selects (any columns: only COLUMNS are read)."""
    totals = ControlTotals()
    query = lines.select(*COLUMNS).order_by(PaymentLine.id).tuples()
    for row in query.iterator():  # a cursor, not a list: constant memory
        totals.add(row)
    return totals
