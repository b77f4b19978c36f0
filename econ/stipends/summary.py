"""A run's lines summed once: one grouped query for every figure the run page shows.

The run page of a 20,000-line run shows its totals, the totals per method, the payable
count and total, the number of line exceptions and the number of lines each filter
matches. Each was a scan of the run's lines per request; here they come from one
`GROUP BY method, status, exception, followup_run_id` over the covering index
`payment_line_run_summary` (m0022), a few dozen groups at most.

While a run is CALCULATED or APPROVED its lines cannot change without its version
moving on (a recalculation, an approval, a rejection, a cancel or the start of the
export all move it; follow-ups and retries take lines only from disbursing runs), so the
summary and the other figures of `frozen` are computed once per run version and process
and kept for the requests that follow. In every other state they are read per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import peewee as pw

from econ.db import db
from econ.stipends.models import PaymentLine, PaymentRun

# States in which a run's lines change only together with its version.
FROZEN_STATES = ("CALCULATED", "APPROVED")
_KEPT = 256  # (run version, figure) entries kept per process

T = TypeVar("T")


@dataclass(frozen=True)
class LineGroup:
    """The lines of one method, status, exception kind and paying run, summed (cents)."""

    method: str
    status: str
    exception: str | None
    followup_run_id: int | None
    count: int
    base: int
    taper: int
    incentives: int
    adjustments: int
    net: int


AMOUNTS = ("base", "taper", "incentives", "adjustments", "net")


@dataclass(frozen=True)
class RunSummary:
    groups: tuple[LineGroup, ...]

    def where(
        self,
        status: str | None = None,
        exception: str | None = None,
        statuses: Iterable[str] | None = None,
        main_only: bool = False,
    ) -> list[LineGroup]:
        """The groups a filter of the run's lines keeps (`exception` as `run_lines` reads
        it: PAYMENT_FAILED is a failed line without an exception kind)."""
        kept = list(self.groups)
        if status:
            kept = [g for g in kept if g.status == status]
        if statuses is not None:
            allowed = set(statuses)
            kept = [g for g in kept if g.status in allowed]
        if exception == "PAYMENT_FAILED":
            kept = [g for g in kept if g.exception is None and g.status == "FAILED"]
        elif exception:
            kept = [g for g in kept if g.exception == exception]
        if main_only:
            kept = [g for g in kept if g.followup_run_id is None]
        return kept

    def count(self, status: str | None = None, exception: str | None = None) -> int:
        return sum(g.count for g in self.where(status, exception))

    def sums(self, groups: list[LineGroup] | None = None) -> dict[str, int]:
        """Line count and cents of each amount over `groups` (default: all)."""
        groups = self.groups if groups is None else groups
        found = {name: sum(getattr(g, name) for g in groups) for name in AMOUNTS}
        return {"count": sum(g.count for g in groups), **found}

    @property
    def exception_lines(self) -> int:
        """Lines the review lists: with an exception kind, or failed."""
        return sum(g.count for g in self.groups if g.exception is not None or g.status == "FAILED")


def read_summary(run_id: int) -> RunSummary:
    """One grouped query over the run's lines (no cache)."""
    f = pw.fn
    line = PaymentLine
    keys = (line.method, line.status, line.exception, line.followup_run_id)
    sums = [f.COALESCE(f.SUM(getattr(line, name)), 0) for name in AMOUNTS]
    rows = (
        line.select(*keys, f.COUNT(line.id), *sums)
        .where(line.run == run_id)
        .group_by(*keys)
        .tuples()
    )
    return RunSummary(tuple(LineGroup(*row[:5], *(int(s) for s in row[5:])) for row in rows))


@dataclass(frozen=True)
class LoanPayouts:
    """The run's lines that pay out a loan (counted in its base and net like any line)."""

    count: int
    cents: int


def loan_payouts(run: PaymentRun) -> LoanPayouts:
    """Through the unique loan index (a run has few loan lines), once per frozen version."""

    def read() -> LoanPayouts:
        f = pw.fn
        count, cents = (
            PaymentLine.select(f.COUNT(PaymentLine.id), f.COALESCE(f.SUM(PaymentLine.net), 0))
            .where(PaymentLine.loan_id.is_null(False) & (PaymentLine.run == run.id))
            .tuples()
            .first()
        )
        return LoanPayouts(count, int(cents))

    return frozen(run, "loan payouts", read)


def summary_of(run: PaymentRun | int) -> RunSummary:
    """The run's summary: kept per version while its lines are frozen (a run id alone,
    as internal jobs pass it, is always read)."""
    if not isinstance(run, PaymentRun):
        return read_summary(run)
    return frozen(run, "summary", lambda: read_summary(run.id))


_kept: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def frozen_version(run: PaymentRun) -> tuple | None:
    """What names the run's lines while they are frozen, else None (they may change at
    any time): the run's identity beyond its id (a test's fresh database may reuse ids),
    its creation time and generation, then the version that freezes it."""
    if run.state not in FROZEN_STATES or run.job_status != "DONE":
        return None
    return (run.id, run.created_at, run.generation, run.version)


def frozen(run: PaymentRun, name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per run version and process while the run is in a frozen state
    (computed every time otherwise). `name` says which figure; it must depend only on the
    run's lines and on records that do not change while the run is frozen."""
    version = frozen_version(run)
    if version is None:
        return compute()
    key = (id(db.obj), *version, name)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _kept[key] = value
        while len(_kept) > _KEPT:
            _kept.popitem(last=False)
    return value
